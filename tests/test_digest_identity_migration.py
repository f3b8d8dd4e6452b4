"""Migration 0009 gives digests stored before it the newsletter and stories fingerprint new ones get."""
import datetime
import importlib

import pytest
from django.apps import apps

from digest.ingest.fingerprint import stories_fingerprint
from digest.models import Digest, Story

pytestmark = pytest.mark.django_db
migration = importlib.import_module("digest.migrations.0009_digest_identity_and_index_pending")
DAY = datetime.date(2014, 11, 26)


def digest(name, newsletter, day=DAY, stories=(("Talks in Geneva", "Envoys met on Monday."),)):
    """A digest as stored before the migration: no fingerprint."""
    stored = Digest.objects.create(date=day, newsletter=newsletter, title=name, file_name=name, sha256=name * 8,
                                   source_text="")
    for position, (headline, body) in enumerate(stories, start=1):
        Story.objects.create(digest=stored, position=position, headline=headline, body=body, slug="s")


def test_stored_digests_get_the_default_newsletter_and_their_fingerprint(settings):
    settings.DEFAULT_NEWSLETTER = "Syria Daily Digest"
    digest("pasted", "")
    digest("mailed", "Syria Deeply", stories=(("Talks  in Geneva", "Envoys met\n\non Monday."),))
    digest("later", "", day=DAY + datetime.timedelta(days=1))
    digest("taken", "Syria Daily Digest", day=DAY + datetime.timedelta(days=2))
    digest("untaken", "", day=DAY + datetime.timedelta(days=2))

    migration.identify_stored_digests(apps, None)

    newsletters = dict(Digest.objects.values_list("file_name", "newsletter"))
    assert newsletters == {"pasted": "Syria Daily Digest", "mailed": "Syria Deeply", "later": "Syria Daily Digest",
                           "taken": "Syria Daily Digest", "untaken": ""}
    fingerprints = dict(Digest.objects.values_list("file_name", "stories_sha256"))
    expected = stories_fingerprint([("Talks in Geneva", "Envoys met on Monday.")])
    # The second copy of one issue keeps none: the new constraint allows it, an editor removes it.
    assert fingerprints == {"pasted": expected, "mailed": None, "later": expected, "taken": expected,
                            "untaken": None}
