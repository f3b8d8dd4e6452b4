"""Two things that tell one issue from another, for digests stored before they existed.

A digest whose file named no newsletter joins DEFAULT_NEWSLETTER, as new ones do (unless that day
already has a digest of it), and every digest gets the fingerprint of its stories. Of earlier
copies of one issue stored twice in two formats, the first keeps the fingerprint and the later
ones none: nothing is deleted here; they stay for an editor to remove.
"""
from django.conf import settings
from django.db import migrations, models


def identify_stored_digests(apps, schema_editor):
    from digest.ingest.fingerprint import stories_fingerprint

    Digest = apps.get_model("digest", "Digest")
    Story = apps.get_model("digest", "Story")
    default = settings.DEFAULT_NEWSLETTER
    taken = set(Digest.objects.filter(newsletter=default).values_list("date", flat=True))
    Digest.objects.filter(newsletter="").exclude(date__in=taken).update(newsletter=default)
    seen = set()
    for digest in Digest.objects.order_by("pk").only("pk", "date").iterator():
        stories = Story.objects.filter(digest_id=digest.pk).order_by("position").values_list("headline", "body")
        fingerprint = stories_fingerprint(stories)
        if (digest.date, fingerprint) not in seen:
            seen.add((digest.date, fingerprint))
            Digest.objects.filter(pk=digest.pk).update(stories_sha256=fingerprint)


class Migration(migrations.Migration):

    dependencies = [
        ('digest', '0008_registry_updated_at_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='digest',
            name='index_pending',
            field=models.BooleanField(default=False, editable=False, help_text='Stored, and its stories not yet indexed: the next `ingest` indexes them if this one was interrupted.'),
        ),
        migrations.AddField(
            model_name='digest',
            name='stories_sha256',
            field=models.CharField(blank=True, editable=False, help_text='Headlines and text with whitespace and quotes normalised (digest.ingest.fingerprint): the same issue in another format has the same.', max_length=64, null=True, verbose_name='SHA-256 of the stories as ingested'),
        ),
        migrations.RunPython(identify_stored_digests, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='digest',
            index=models.Index(condition=models.Q(('index_pending', True)), fields=['index_pending'], name='digest_index_pending'),
        ),
        migrations.AddConstraint(
            model_name='digest',
            constraint=models.UniqueConstraint(fields=('date', 'stories_sha256'), name='one_digest_per_issue_and_day'),
        ),
    ]
