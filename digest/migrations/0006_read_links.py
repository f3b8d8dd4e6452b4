"""Normalise the links of reads stored before ingestion checked them, or drop those that cannot be stored.

A link with a space, a line break or no http(s) scheme made the digest's admin page refuse to save;
digest.ingest.links now refuses those at ingest, and this brings stored reads to the same rule.
"""
from django.db import migrations


def normalise_stored_links(apps, schema_editor):
    from digest.ingest.links import normalise_url

    RecommendedRead = apps.get_model("digest", "RecommendedRead")
    for read in RecommendedRead.objects.exclude(url=None).exclude(url="").only("url").iterator(chunk_size=2000):
        try:
            url = normalise_url(read.url)
        except ValueError:
            url = None
        if url != read.url:
            RecommendedRead.objects.filter(pk=read.pk).update(url=url)


class Migration(migrations.Migration):
    dependencies = [("digest", "0005_staged_uploads")]

    operations = [migrations.RunPython(normalise_stored_links, migrations.RunPython.noop)]
