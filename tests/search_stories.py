"""The stories the search engine tests run on: tests/fixtures/search/stories.json.

`fresh_index` points haystack's default connection at an empty Whoosh index in
the test's own temporary directory, so every test starts from nothing;
`indexed_stories` stores the fixture through the models and indexes it with
search.indexing, the path ingestion takes.
"""
import datetime
import hashlib
import json
from pathlib import Path

import haystack
import pytest
from django.utils.text import slugify

from digest.models import Digest, Entity, Mention, Story
from search.indexing import update_stories

STORIES = Path(__file__).parent / "fixtures" / "search" / "stories.json"


def load_stories() -> dict:
    return json.loads(STORIES.read_text(encoding="utf-8"))


@pytest.fixture
def fresh_index():
    """The test run's index (see tests/conftest.py), emptied, so every test starts from nothing.

    Every test uses that one index, on Whoosh and on Solr alike: haystack keeps a
    connection per thread, so the live server's thread would go on reading an
    index that a test swapped in for its own thread only.
    """
    backend = haystack.connections["default"].get_backend()
    backend.clear()
    yield backend


def store_stories(data: dict) -> dict[str, Story]:
    """The fixture's digests, stories and mentions as rows; returns the stories by headline."""
    Entity.objects.all().delete()  # the registry the migrations load is not part of the fixture
    entities = {
        (e["kind"], e["name"]): Entity.objects.create(
            kind=e["kind"], name=e["name"], slug=slugify(e["name"]) or "x", actor_type=e.get("actor_type", "")
        )
        for e in data["entities"]
    }
    stories = {}
    for number, digest_data in enumerate(data["digests"]):
        digest = Digest.objects.create(
            date=datetime.date.fromisoformat(digest_data["date"]),
            title=f"Digest {digest_data['date']}",
            newsletter="Search Test Digest",
            file_name=f"{digest_data['date']}.txt",
            sha256=hashlib.sha256(str(number).encode()).hexdigest(),
            source_text="",
        )
        for position, s in enumerate(digest_data["stories"], 1):
            story = Story.objects.create(digest=digest, position=position, headline=s["headline"], body=s["body"],
                                         slug=slugify(s["headline"]))
            Mention.objects.bulk_create(
                Mention(story=story, entity=entities[kind, name])
                for kind, names in s["mentions"].items() for name in names
            )
            stories[story.headline] = story
    return stories


@pytest.fixture
def indexed_stories(db, fresh_index):
    stories = store_stories(load_stories())
    update_stories([story.pk for story in stories.values()])
    return stories
