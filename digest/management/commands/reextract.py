"""Run extraction again over every stored story with the current registry, so curation
(aliases, merges, never-an-entity forms) applies to the whole archive."""
from django.core.management.base import BaseCommand
from django.db import transaction
from tqdm import tqdm

from digest.curation import reextract_stories, reindex_after_commit
from digest.models import Story


class Command(BaseCommand):
    help = "Re-extract places, actors and sources of every story with the current registry, then reindex."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Stories per transaction (default 200).")

    def handle(self, *args, batch_size, **options):
        ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
        progress = tqdm(total=len(ids), unit="story", disable=None, file=self.stderr)
        for first in range(0, len(ids), batch_size):
            batch = ids[first:first + batch_size]
            with transaction.atomic():
                done = reextract_stories(Story.objects.filter(pk__in=batch).order_by("pk"))
                reindex_after_commit(done)
            progress.update(len(batch))
        progress.close()
        self.stdout.write(f"Re-extracted {len(ids)} stories.")
