"""`manage.py ingest PATH...`: turn digest files, directories and zips into stored, searchable digests."""
import datetime
import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from digest.ingest.review import review_split
from digest.ingest.service import CREATED, DUPLICATE, ERROR, PARSED, REPLACED, ingest_inputs
from digest.ingest.sources import iter_inputs
from digest.signals import batched_changes


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be a date like 2014-11-26, not {value!r}") from None


class Command(BaseCommand):
    help = "Ingest digest files (plain text, HTML, Markdown, e-mail), directories of them, zips or mailboxes."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files, directories, .zip archives or .mbox mail folders")
        parser.add_argument("--date", type=iso_date, help="publication date for files that state none (YYYY-MM-DD)")
        parser.add_argument("--replace", action="store_true", help="replace a stored digest of the same day")
        parser.add_argument("--dry-run", action="store_true", help="parse and extract, store nothing")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the result of every file as JSON")

    def handle(self, *args, paths, date, replace, dry_run, as_json, **options):
        inputs = list(
            iter_inputs(
                paths,
                max_file_bytes=settings.INGEST_MAX_FILE_BYTES,
                max_archive_bytes=settings.INGEST_MAX_ARCHIVE_BYTES,
                max_members=settings.INGEST_MAX_ARCHIVE_MEMBERS,
            )
        )
        if not inputs:
            raise CommandError(f"no files found in {', '.join(paths)}")
        progress = tqdm(
            ingest_inputs(inputs, date=date, replace=replace, dry_run=dry_run),
            total=len(inputs),
            unit="file",
            disable=len(inputs) < 2 or options["verbosity"] == 0,
            file=sys.stderr,
        )
        with batched_changes():
            outcomes = list(progress)
        if as_json:
            report = {"digests": [self._as_json(outcome) for outcome in outcomes]}
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._report(outcomes)
        if any(outcome.status == ERROR for outcome in outcomes):
            sys.exit(1)

    @staticmethod
    def _flags(outcome):
        """What looks doubtful in a parsed file's split, as the admin's split review shows it."""
        return review_split(outcome.split, outcome.title) if outcome.status == PARSED else []

    def _as_json(self, outcome):
        report = outcome.as_json()
        if outcome.status == PARSED:
            report["flags"] = [flag.as_json() for flag in self._flags(outcome)]
        return report

    def _report(self, outcomes):
        for outcome in outcomes:
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
        counts = {status: sum(o.status == status for o in outcomes) for status in
                  (CREATED, REPLACED, DUPLICATE, PARSED, ERROR)}
        summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
        self.stdout.write(f"{len(outcomes)} file{'s' if len(outcomes) != 1 else ''}: {summary}")
