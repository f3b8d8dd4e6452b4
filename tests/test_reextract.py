"""`manage.py reextract`: curation made straight in the registry reaches every stored story."""
import datetime
import io

import pytest
from django.core.management import call_command

from digest.extract import get_extractor
from digest.extract.store import save_mentions
from digest.models import Alias, Digest, Entity, Mention, Story, StopForm

pytestmark = pytest.mark.django_db

STORIES = [
    ("Front Advances", ["The Levant Front took two villages near Aleppo, AFP reports."]),
    ("Ambush", ["Gunmen ambushed a convoy, said Abu Omar of the Tawhid Brigade."]),
    ("Talks", ["Laurent Fabius met Sergei Lavrov in Geneva; Fabius spoke first, Reuters reports."]),
]


@pytest.fixture
def stories():
    digest = Digest.objects.create(sha256="2" * 64, date=datetime.date(2013, 9, 16), title="D", file_name="d.txt")
    stored = []
    for position, (headline, paragraphs) in enumerate(STORIES):
        story = Story.objects.create(digest=digest, position=position, headline=headline,
                                     body="\n\n".join(paragraphs), slug=f"s{position}")
        save_mentions(story, get_extractor().extract(story.headline, story.paragraphs))
        stored.append(story)
    return stored


def snapshot():
    return sorted(Mention.objects.values_list("story__headline", "entity__name", "count"))


def test_reextract_applies_registry_changes_to_every_story(stories, monkeypatch, django_capture_on_commit_callbacks):
    import search.indexing

    reindexed = []
    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: reindexed.append(sorted(ids)))
    Alias.objects.create(entity=Entity.objects.get(name="Free Syrian Army"), name="Levant Front")
    StopForm.objects.create(form="Abu Omar")
    out, err = io.StringIO(), io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reextract", "--batch-size", "2", stdout=out, stderr=err)

    assert snapshot() == [
        ("Ambush", "Tawhid Brigade", 1),
        ("Front Advances", "AFP", 1),
        ("Front Advances", "Aleppo", 1),
        ("Front Advances", "Free Syrian Army", 1),
        ("Talks", "Geneva", 1),
        ("Talks", "Laurent Fabius", 2),
        ("Talks", "Reuters", 1),
        ("Talks", "Sergei Lavrov", 1),
    ]
    assert out.getvalue() == "Re-extracted 3 stories; the mentions of 2 changed.\n"
    # "Talks" found the same as before: it is neither rewritten nor reindexed.
    assert sorted(id for ids in reindexed for id in ids) == [stories[0].pk, stories[1].pk]


def test_reextract_with_an_unchanged_registry_loses_nothing(stories, monkeypatch):
    import search.indexing

    monkeypatch.setattr(search.indexing, "update_stories", lambda ids: None)
    before = snapshot()
    call_command("reextract", stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == before
    assert ("Ambush", "Abu Omar", 1) in before
