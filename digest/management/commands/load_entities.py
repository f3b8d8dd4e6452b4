"""Bring data-file entries the registry lacks into it, keeping everything curated in the admin."""
from django.core.management.base import BaseCommand
from django.db import transaction

from digest.extract import invalidate, tables
from digest.extract.loading import load_entries
from digest.models import Alias, Entity, StopForm


class Command(BaseCommand):
    help = "Add entities and stop forms from digest/extract/data/ that the registry lacks (curation is kept)."

    def handle(self, *args, **options):
        with transaction.atomic():
            entities, stop_forms = load_entries(
                Entity, Alias, StopForm, tables.registry_entries(), tables.words("stoplist.txt")
            )
        invalidate()
        self.stdout.write(f"Added {entities} entities and {stop_forms} never-an-entity forms.")
