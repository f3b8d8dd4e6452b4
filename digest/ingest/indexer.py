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
command). Only committed stories can be read from another process: inside an outer transaction
(a test's) the writer indexes them itself.
"""
import logging
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from .parallel import spawn_workers
from .worker import announce_in_worker

logger = logging.getLogger(__name__)


class BackgroundIndexer:
    """A context manager whose `send` is batched_changes' flush: each batch is indexed in the
    indexer process. `seconds` and `cpu_seconds` are the time the process spent indexing, in all and
    on its CPU, known once the block ends."""

    def __init__(self, on_batch=None):
        """`on_batch(stories)` is called as each batch has gone through the index (from a thread
        of the process pool's, so it only reports)."""
        self.pool, self.pending, self.broken, self.on_batch = None, [], False, on_batch
        self.seconds = self.cpu_seconds = 0.0

    def __enter__(self):
        self.pool = spawn_workers(1)
        return self

    def send(self, story_ids, using):
        if not self.broken:
            try:
                future = self.pool.submit(announce_in_worker, sorted(story_ids), using)
            except BrokenProcessPool:
                self._died()
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
        finally:
            self.pool.shutdown(wait=True)

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
        # Out of memory, killed: the stories it had not indexed keep their flags, and the command says how many.
        logger.error("The indexing process died; the next ingest, or `manage.py check_index --fix`, indexes the rest")
        self.broken = True
        self.pending.clear()
