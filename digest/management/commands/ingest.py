"""`manage.py ingest PATH...`: turn digest files, directories and zips into stored, searchable digests."""
import contextlib
import datetime
import functools
import itertools
import json
import resource
import sys
import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection
from tqdm import tqdm

from digest.ingest.indexer import BackgroundIndexer
from digest.ingest.parallel import default_jobs, ingest_in_workers
from digest.ingest.review import review_split
from digest.ingest.service import CREATED, DUPLICATE, ERROR, PARSED, REPLACED, ingest_inputs
from digest.ingest.sources import iter_inputs
from digest.models import Digest
from digest.signals import announce_unindexed, batched_changes, send_changed

# The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it.
INTERRUPTED = 130


def cpu_so_far():
    """CPU seconds of this process and of its children that have ended (the workers and the
    indexer, once their pools have shut down)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date like 2014-11-26, not {value!r}") from None


def job_count(value):
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise CommandError(f"--jobs must be a number of worker processes (0 or more), not {value!r}")
    return jobs


class Command(BaseCommand):
    help = "Ingest digest files (plain text, HTML, Markdown, e-mail), directories of them, zips or mailboxes."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, directories, .zip archives or .mbox mail folders")
        parser.add_argument("--date", type=iso_date, help="publication date for files that state none (YYYY-MM-DD)")
        parser.add_argument("--replace", action="store_true", help="replace a stored digest of the same day")
        parser.add_argument("--dry-run", action="store_true", help="parse and extract, store nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result of every file as JSON")
        parser.add_argument(
            "--jobs", type=job_count, default=None,
            help="worker processes that read, split and extract while this one stores and indexes; "
            f"0 does everything in this process (default: one per core beyond the first, here {default_jobs()})",
        )

    def handle(self, *args, paths, date, replace, dry_run, as_json, jobs, **options):
        started, cpu_started = time.perf_counter(), cpu_so_far()
        # Files are read as they are needed, not all before the first is stored.
        inputs = iter_inputs(
            paths,
            max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
            max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES,
            max_members=settings.INGEST_MAX_ARCHIVE_MEMBERS,
        )
        first = list(itertools.islice(inputs, 2))
        if not first:
            raise CommandError(f"no files found in {', '.join(paths)}")
        inputs = itertools.chain(first, inputs)
        jobs = default_jobs() if jobs is None else jobs
        if jobs and len(first) > 1:  # one file is not worth starting a worker for
            outcomes = ingest_in_workers(inputs, jobs=jobs, date=date, replace=replace, dry_run=dry_run)
        else:
            outcomes = ingest_inputs(inputs, date=date, replace=replace, dry_run=dry_run)
        progress = tqdm(outcomes, unit="file", disable=len(first) < 2 or options["verbosity"] == 0, file=sys.stderr)

        self.counts, self.stages, self.cpu, reports, interrupted = Counter(), Counter(), Counter(), [], False
        stored = []
        # With workers, the index follows from a process of its own; it can only read what has
        # committed, so inside a caller's transaction this process indexes.
        background = bool(jobs) and len(first) > 1 and not dry_run and not connection.in_atomic_block
        report_batch = self._index_batch_done if options["verbosity"] >= 2 and not as_json else None
        indexer = BackgroundIndexer(on_batch=report_batch) if background else contextlib.nullcontext()
        send = indexer.send if background else functools.partial(self._index_here, report_batch)
        with indexer, batched_changes(send=send) as batch:
            # A run that was killed before its last batch reached the index left digests
            # unindexed: they go in first, so the index ends in line with the database.
            caught_up = 0 if dry_run else self._catch_up()
            try:
                for outcome in progress:
                    self.counts[outcome.status] += 1
                    if outcome.status in (CREATED, REPLACED):
                        stored.append(outcome.digest.pk)
                    if outcome.status in (CREATED, REPLACED, PARSED):
                        self.counts["stories"] += len(outcome.split.stories)
                    self.stages.update(outcome.seconds)
                    self.cpu.update(outcome.cpu_seconds)
                    if as_json:
                        reports.append(self._as_json(outcome))
                    else:
                        self._report(outcome)
            except KeyboardInterrupt:
                # What was committed stays and is indexed as the block ends; the file being
                # stored was rolled back. The same command again skips what went in.
                interrupted = True
                progress.close()
                if not connection.in_atomic_block:
                    # A query the interrupt cut short can leave the connection unusable (PostgreSQL):
                    # what was committed is indexed, as the block ends, through a new one.
                    connection.close()
        self.stages["index"] = indexer.seconds if background else batch.seconds
        self.cpu["index"] = indexer.cpu_seconds if background else batch.cpu_seconds
        if as_json:
            self.stdout.write(json.dumps({"digests": reports}, ensure_ascii=False, indent=2))
        else:
            self._summary(caught_up)
        if interrupted:
            self.stderr.write(self.style.ERROR(
                "Interrupted. What was stored stays; run the same command again to ingest the rest."))
        if options["verbosity"] >= 2:
            self._stage_table(time.perf_counter() - started, cpu_so_far() - cpu_started,
                              jobs if len(first) > 1 else 0, background)
        if interrupted:
            sys.exit(INTERRUPTED)
        unindexed = self._unindexed(stored)
        if self.counts[ERROR] or unindexed:
            sys.exit(1)

    @staticmethod
    def _index_here(report_batch, story_ids, using):
        send_changed(story_ids, using)
        if report_batch is not None:
            report_batch(len(story_ids))

    def _index_batch_done(self, stories):
        """`-v 2`: each batch the index has taken, as it is done (the benchmark times them)."""
        self.stdout.write(f"index: a batch of {stories} stories done")
        self.stdout.flush()

    def _catch_up(self):
        try:
            return announce_unindexed()
        except DatabaseError as error:  # each file says so too, with its name
            self.stderr.write(self.style.ERROR(
                f"Could not look for digests an interrupted run left unindexed ({type(error).__name__})."))
            return 0

    def _unindexed(self, stored):
        """How many digests this run stored are still out of the search index (the index could not
        be written: a full disk, an engine down); the next ingest or check_index --fix indexes them.
        Inside a caller's transaction nothing has committed, so nothing has been indexed yet."""
        if connection.in_atomic_block:
            return 0
        try:
            unindexed = sum(Digest.objects.filter(pk__in=stored[start:start + 500], index_pending=True).count()
                            for start in range(0, len(stored), 500))
        except DatabaseError:
            return 0  # the files that could not be stored have said so
        if unindexed:
            self.stderr.write(self.style.ERROR(
                f"{unindexed} of the digests stored are not in the search index yet: indexing failed (see the log "
                "above). They were stored whole; the next ingest, or `manage.py check_index --fix`, indexes them."))
        return unindexed

    @staticmethod
    def _flags(outcome):
        """What looks doubtful in a parsed file's split, as the admin's split review shows it."""
        return review_split(outcome.split, outcome.title) if outcome.status == PARSED else []

    def _as_json(self, outcome):
        report = outcome.as_json()
        if outcome.status == PARSED:
            report["flags"] = [flag.as_json() for flag in self._flags(outcome)]
        return report

    def _report(self, outcome):
        if outcome.status == ERROR:
            self.stderr.write(self.style.ERROR(f"{outcome.file}: error: {outcome.error}"))
        elif outcome.status == DUPLICATE:
            self.stdout.write(self.style.WARNING(f"{outcome.file}: duplicate: {outcome.error}"))
        else:
            stories = len(outcome.split.stories)
            reads = len(outcome.split.recommended_reads)
            flags = self._flags(outcome)
            flagged = f", {len(flags)} flag{'s' if len(flags) != 1 else ''}" if flags else ""
            self.stdout.write(
                f"{outcome.file}: {outcome.status}: {outcome.date:%Y-%m-%d} {outcome.title} "
                f"({stories} stories, {reads} recommended reads{flagged})"
            )
            for flag in flags:
                story = outcome.split.stories[flag.story]
                text = story.headline if flag.paragraph is None else story.paragraphs[flag.paragraph]
                text = text if len(text) <= 80 else text[:79] + "\u2026"
                self.stdout.write(self.style.WARNING(f"  flag: {flag} [{text}]"))
            for note in outcome.notes:
                self.stdout.write(self.style.WARNING(f"  note: {note}"))
        self.stdout.flush()  # each file's line as it is stored: a long run shows where it is

    def _summary(self, caught_up):
        if caught_up:
            self.stdout.write(f"Indexed {caught_up} stories that an interrupted run had stored but not indexed.")
        files = sum(self.counts[status] for status in (CREATED, REPLACED, DUPLICATE, PARSED, ERROR))
        summary = ", ".join(f"{self.counts[status]} {status}" for status in (CREATED, REPLACED, DUPLICATE, PARSED, ERROR)
                            if self.counts[status])
        self.stdout.write(f"{files} file{'s' if files != 1 else ''}: {summary}")

    def _stage_table(self, wall, cpu, workers, background):
        """Where the time went (`-v 2`), in all and on the CPU of the thread doing it: the benchmark
        prints this table. A stage's time in all grows while its process waits for a core; its CPU
        time does not, so the CPU column says what each stage costs whether the cores are shared or
        not, and the whole run's (`cpu`: of every process of the run) how many cores it kept busy."""
        where = f"in {workers} worker process{'es' if workers != 1 else ''}" if workers else "in this process"
        stories = self.counts["stories"]
        rows = [
            ("read and split", self.stages["read_split"], self.cpu["read_split"], where),
            ("extract", self.stages["extract"], self.cpu["extract"], where),
            ("store", self.stages["store"], self.cpu["store"], "in this process"),
            ("index", self.stages["index"], self.cpu["index"],
             "in a process of its own" if background else "in this process"),
            ("whole run", wall, cpu,
             f"{stories} stories, {stories / wall:.0f} stories/s; {cpu / wall:.2f} cores busy, "
             f"{cpu * 1000 / max(stories, 1):.1f} ms of CPU a story"),
        ]
        self.stderr.write(f"stage {'':<15} {'seconds':>9}  {'CPU s':>7}")
        for name, seconds, cpu_seconds, note in rows:
            self.stderr.write(f"stage {name:<15} {seconds:9.2f}  {cpu_seconds:7.2f}  {note}")
        # ru_maxrss is in kilobytes on Linux; the children are the workers and the indexer, once they have ended.
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        workers_peak = f", {children:.0f} MB the largest worker or indexer" if workers else ""
        self.stderr.write(f"peak memory: {own:.0f} MB this process{workers_peak}")
