"""Load the curated data files (actors, outlets, place supplement, governments, stoplist) into the
entity registry. Later changes to the files reach the registry with `manage.py load_entities`."""
from django.db import migrations


def load(apps, schema_editor):
    from digest.extract import tables
    from digest.extract.loading import load_entries

    load_entries(
        apps.get_model("digest", "Entity"),
        apps.get_model("digest", "Alias"),
        apps.get_model("digest", "StopForm"),
        tables.registry_entries(),
        tables.words("stoplist.txt"),
    )


class Migration(migrations.Migration):
    dependencies = [("digest", "0002_registry_updated_at")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
