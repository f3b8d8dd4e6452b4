"""Bring issue 9's data-file additions into an existing registry: new actors, outlets, places and
stop forms, and the new aliases of entities it already has (renamed groups, governments' bodies).
Stories keep their old mentions until `manage.py reextract` runs."""
from django.db import migrations


def load(apps, schema_editor):
    from digest.extract import tables
    from digest.extract.loading import add_missing_aliases, load_entries

    Entity, Alias, StopForm = (apps.get_model("digest", name) for name in ("Entity", "Alias", "StopForm"))
    entries = tables.registry_entries()
    load_entries(Entity, Alias, StopForm, entries, tables.words("stoplist.txt"))
    add_missing_aliases(Entity, Alias, StopForm, entries)


class Migration(migrations.Migration):
    dependencies = [("digest", "0006_read_links")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
