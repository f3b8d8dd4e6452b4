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
        parser.add_argument("--batch-size", type=int, default=500, help="Stories per transaction (default 500).")

    def handle(self, *args, batch_size, **options):
        stories = Story.objects.order_by("pk").only("headline", "body")
        progress = tqdm(total=stories.count(), unit="story", disable=None, file=self.stderr)
        done, changed, last = 0, 0, 0
        # Batches by primary key, not by offset: each is one indexed range read however far in.
        while batch := list(stories.filter(pk__gt=last)[:batch_size]):
            with transaction.atomic():
                ids = reextract_stories(batch)
                # Only stories whose mentions changed are rewritten, and only they are reindexed.
                reindex_after_commit(ids)
            done, changed, last = done + len(batch), changed + len(ids), batch[-1].pk
            progress.update(len(batch))
        progress.close()
        self.stdout.write(f"Re-extracted {done} stories; the mentions of {changed} changed.")
