"""`ingest --jobs N`: the search index follows the writer from a process of its own.

Every batch of stories the writer commits (digest.signals.batched_changes) costs the index
seconds: analysing every field, writing a segment, now and then merging segments. Done in the
writer, that stops storing, and the parse workers, only a few files ahead, stop with it. Here the
batches go to one spawned process that runs the same subscribers the writer would
(search.indexing), one batch after another in the order they committed, while the writer goes
on storing; the command waits for the last batch before it reports.

Nothing changes for a failure: a batch the index could not take is logged, by that process, and
leaves its digests flagged `index_pending`, so the command reports them unindexed and the next
ingestion indexes them; a run killed midway leaves the same flags (the process ends with the
command). A process that dies (the kernel's out-of-memory killer, a crash in a C extension) takes
the batches in its hands with it: another is started, and once the load ends it indexes the
stories of every digest still flagged, so the run ends with the index in line all the same. One
that dies again is not replaced (whatever kills it would likely kill the next); the command says
how many digests are left for the next ingestion. Only committed stories can be read from
another process: inside an outer transaction (a test's) the writer indexes them itself.
"""
import logging
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from django.db import DatabaseError

from digest.signals import unindexed_story_ids

from .parallel import spawn_workers
from .worker import announce_in_worker

logger = logging.getLogger(__name__)

# Indexing processes started again in one run after the first died.
RESTARTS = 1


class BackgroundIndexer:
    """A context manager whose `send` is batched_changes' flush: each batch is indexed in the
    indexer process. `seconds` and `cpu_seconds` are the time the process spent indexing, in all and
    on its CPU, known once the block ends."""

    def __init__(self, on_batch=None):
        """`on_batch(stories)` is called as each batch has gone through the index (from a thread
        of the process pool's, so it only reports)."""
        self.pool, self.pending, self.on_batch = None, [], on_batch
        self.broken = self.lost = False  # given up on the process; batches died with one
        self.restarts, self.using = 0, "default"
        self.seconds = self.cpu_seconds = 0.0

    def __enter__(self):
        self.pool = spawn_workers(1)
        return self

    def send(self, story_ids, using):
        self.using = using
        if not self.broken:
            try:
                future = self.pool.submit(announce_in_worker, sorted(story_ids), using)
            except BrokenProcessPool:
                self._died()  # this batch is among the lost ones
            else:
                self.pending.append(future)
                if self.on_batch is not None:
                    future.add_done_callback(partial(self._finished, len(story_ids)))
        self._collect(wait=False)

    def __exit__(self, *exc_info):
        # Ctrl-C too: the batches sent are committed stories, and they are indexed before the command
        # ends (the process ignores Ctrl-C).
        try:
            self._collect(wait=True)
            if self.lost and not self.broken:
                self._send_lost()
                self._collect(wait=True)
        finally:
            self.pool.shutdown(wait=True)

    def _send_lost(self):
        """The stories of every digest still flagged unindexed, to the process started in place of the
        one that died with them (and other processes' unsent ones, which costs only time)."""
        self.lost = False
        try:
            story_ids = unindexed_story_ids(self.using)
        except DatabaseError as error:
            logger.error("Could not look for the stories the indexing process lost (%s); the next ingest, "
                         "or `manage.py check_index --fix`, indexes them", type(error).__name__)
            return
        if story_ids:
            self.send(story_ids, self.using)

    def _collect(self, wait):
        while self.pending and (wait or self.pending[0].done()):
            future = self.pending.pop(0)
            try:
                seconds, cpu_seconds = future.result()
            except BrokenProcessPool:
                self._died()
            else:
                self.seconds += seconds
                self.cpu_seconds += cpu_seconds

    def _finished(self, stories, future):
        if not future.cancelled() and future.exception() is None:
            self.on_batch(stories)

    def _died(self):
        # Every batch in its hands is lost; their digests keep their flags.
        self.pending.clear()
        self.pool.shutdown(wait=True)
        if self.restarts < RESTARTS:
            self.restarts += 1
            self.lost = True
            logger.warning("The indexing process died; another takes the next batches and, at the end, the lost ones")
            self.pool = spawn_workers(1)
        else:
            logger.error("The indexing process died again; the next ingest, or `manage.py check_index --fix`, "
                         "indexes the rest")
            self.broken = True
