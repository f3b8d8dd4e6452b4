"""Compare the search index with the database: missing, stale and orphaned stories.

    manage.py check_index [--fix]

A story is stale when the fingerprint stored with its index entry (its text,
date and entity names, search.search_indexes.story_fingerprint) differs from
what the database now holds: an edited story, curated entities, or an
ingestion whose indexing failed after the commit. --fix indexes missing and
stale stories and removes orphans.

An index whose files are damaged (search.contract.IndexDamaged) cannot be compared: it is
reported with what is wrong, and --fix rebuilds it from the database.

Exit status: 0 when the index is up to date (or --fix repaired it), 1 when anything is
missing, stale or orphaned, the index is damaged, or the engine does not answer, so a cron
job or monitoring notices.
"""
import sys

from django.core.management.base import BaseCommand, CommandError
from haystack import connections
from haystack.query import SearchQuerySet

from search.contract import IndexDamaged
from search.indexing import remove_stories, update_stories
from search.search_indexes import StoryIndex, story_fingerprint

PAGE = 1000
SHOWN = 20


def database_fingerprints():
    index = StoryIndex()
    fingerprints = {}
    queryset = index.index_queryset().order_by("pk")
    last = 0
    while True:
        stories = list(queryset.filter(pk__gt=last)[:PAGE])
        if not stories:
            return fingerprints
        for story in stories:
            fingerprints[story.pk] = story_fingerprint(story)
        last = stories[-1].pk


def index_fingerprints():
    sqs = SearchQuerySet().all()
    total = sqs.count()
    fingerprints = {}
    for start in range(0, total, PAGE):
        for result in sqs[start:start + PAGE]:
            fingerprints[int(result.pk)] = getattr(result, "fingerprint", None)
    return fingerprints


class Command(BaseCommand):
    help = "Report stories missing from or stale in the search index, and index entries without a story."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="index missing and stale stories, remove orphans")

    def handle(self, *args, fix=False, **options):
        stored = database_fingerprints()
        try:
            indexed = index_fingerprints()
        except IndexDamaged as damage:
            return self._rebuild(stored, damage, fix)
        except Exception as error:
            raise CommandError(f"The search engine does not answer: {type(error).__name__}: {error}") from error
        missing = sorted(set(stored) - set(indexed))
        orphans = sorted(set(indexed) - set(stored))
        stale = sorted(pk for pk in set(stored) & set(indexed) if stored[pk] != indexed[pk])
        self.stdout.write(f"{len(stored)} stories in the database, {len(indexed)} in the index.")
        for label, ids in (("missing from the index", missing), ("stale in the index", stale),
                           ("in the index without a story (orphans)", orphans)):
            shown = ", ".join(map(str, ids[:SHOWN])) + (" …" if len(ids) > SHOWN else "")
            self.stdout.write(f"{len(ids)} {label}" + (f": {shown}" if ids else ""))
        if not (missing or stale or orphans):
            self.stdout.write(self.style.SUCCESS("The index is up to date."))
        elif fix:
            update_stories(missing + stale)
            remove_stories(orphans)
            self.stdout.write(self.style.SUCCESS(
                f"Fixed: indexed {len(missing) + len(stale)} stories, removed {len(orphans)} orphans."))
        else:
            self.stdout.write("Run `manage.py check_index --fix` to repair the index.")
            sys.exit(1)

    def _rebuild(self, stored, damage, fix):
        self.stdout.write(f"{len(stored)} stories in the database; the search index is damaged: {damage}.")
        if not fix:
            self.stdout.write("Run `manage.py check_index --fix` to rebuild it from the database.")
            sys.exit(1)
        connections["default"].get_backend().clear()
        update_stories(sorted(stored))
        self.stdout.write(self.style.SUCCESS(f"Rebuilt the index from the database: indexed {len(stored)} stories."))
