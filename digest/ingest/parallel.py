"""`ingest --jobs N`: reading, splitting and extraction in N worker processes, storing in this one.

Parsing a file is pure computation over its bytes and the entity registry, which the
workers only read (on SQLite in WAL mode a reader never blocks the writer). Storing and
indexing stay in the calling process, one transaction per file, in input order, so the
database and the report come out the same as with one process. The parent checks each
file's hash before sending it off, so files already stored are skipped unparsed.

A worker that dies (a crash in a C extension, the kernel's out-of-memory killer) breaks
the pool and every file it had in hand; those files are parsed again one at a time in a
pool of one worker, and the one that kills its worker again is reported as that file's error.
Workers ignore Ctrl-C (the command stops them) and end by themselves when the command is killed.

What a worker extracts from a file can differ from a one-process run in one way: a name
discovered in a file that is stored while the worker parses a later one is not yet in the
worker's registry. `manage.py reextract` brings every story in line with the registry.
"""
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from django.conf import settings
from django.db import connection

from .service import ERROR, PARSED, IngestOutcome, check_input, store_parsed
from .worker import parse_in_worker, start_worker

# Files handed out per worker ahead of the writer: enough to keep every worker busy while the
# writer stores, few enough that parsed files waiting to be stored stay a few megabytes.
AHEAD_PER_JOB = 4


def default_jobs():
    """One worker per core beyond the writer's; on one core none (the worker would only compete)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(cores - 1, 0)


def spawn_workers(count):
    """A pool of `count` spawned worker processes set up as this process is.

    Spawned, not forked: a forked child would share this process's database connection. A worker
    gets the database, search index and newsletter settings this process uses (a test's, say),
    not the ones the environment would give it."""
    overrides = {
        "DATABASES": {"default": dict(connection.settings_dict)},
        "HAYSTACK_CONNECTIONS": settings.HAYSTACK_CONNECTIONS,
        "DEFAULT_NEWSLETTER": settings.DEFAULT_NEWSLETTER,
    }
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(count, mp_context=context, initializer=start_worker, initargs=(overrides,))


def ingest_in_workers(inputs, *, jobs, date=None, replace=False, dry_run=False, parse=None):
    """Like service.ingest_inputs, with parsing in `jobs` worker processes; yields outcomes in input order.

    `parse(item, date)` is what a worker runs on each file (a module-level function, so that the
    worker can import it); the default reads, splits and extracts."""
    with _Workers(jobs, parse or parse_in_worker) as workers:
        waiting = deque()  # (item, outcome or future), in input order
        inputs = iter(inputs)
        exhausted = False
        while waiting or not exhausted:
            while not exhausted and len(waiting) < jobs * AHEAD_PER_JOB:
                item = next(inputs, None)
                if item is None:
                    exhausted = True
                    break
                early = check_input(item, dry_run=dry_run)
                waiting.append((item, early or workers.submit(item, date)))
            if not waiting:
                break
            item, pending = waiting[0]
            outcome = pending if isinstance(pending, IngestOutcome) else workers.result(pending)
            if outcome is None:
                # A worker died and the pool with it: what it had finished stands, the rest is
                # parsed again one file at a time, so that only the file that kills a worker fails.
                waiting = deque((item, _finished(pending) or workers.parse_alone(item, date)) for item, pending in waiting)
                continue
            waiting.popleft()
            if outcome.status == PARSED and not dry_run:
                outcome = store_parsed(item, outcome, replace=replace)
            yield outcome


def _finished(pending):
    """The outcome already at hand: a check's, or a parse that finished before its pool broke."""
    if isinstance(pending, IngestOutcome):
        return pending
    if pending.done() and not pending.cancelled() and pending.exception() is None:
        return pending.result()
    return None


class _Workers:
    """A pool of spawned worker processes, started again when one of them dies, and a pool of one
    for parsing files alone after that."""

    def __init__(self, jobs, parse):
        self.jobs = jobs
        self.parse = parse
        self.pool = self.solo = None

    def __enter__(self):
        self.pool = self._start(self.jobs)
        return self

    def __exit__(self, *exc_info):
        # On Ctrl-C too: files not yet started are dropped, the few in a worker's hands finish.
        for pool in (self.pool, self.solo):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _start(self, jobs):
        return spawn_workers(jobs)

    def submit(self, item, date):
        return self.pool.submit(self.parse, item, date)

    def result(self, future):
        """The parsed outcome, or None when the pool broke (a worker died) before it came."""
        try:
            return future.result()
        except BrokenProcessPool:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = self._start(self.jobs)
            return None

    def parse_alone(self, item, date):
        """Parse one file with no other in the worker's hands: its outcome, or its error if it kills the worker."""
        if self.solo is None:
            self.solo = self._start(1)
        try:
            return self.solo.submit(self.parse, item, date).result()
        except BrokenProcessPool:
            self.solo.shutdown(wait=True, cancel_futures=True)
            self.solo = None
            return IngestOutcome(item.name, ERROR, error="the worker process reading it died; nothing was stored")
