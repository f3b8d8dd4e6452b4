"""The stories the search engine tests run on: tests/fixtures/search/stories.json.

`fresh_index` points haystack's default connection at an empty Whoosh index in
the test's own temporary directory, so every test starts from nothing;
`indexed_stories` stores the fixture through the models and indexes it with
search.indexing, the path ingestion takes.
"""
import datetime
import hashlib
import json
import os
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
def fresh_index(tmp_path, settings):
    if os.environ.get("SEARCH_URL", "").startswith("solr://"):
        # The Solr suite (.ci/solr.sh) runs these tests on its collection, emptied first.
        haystack.connections["default"].get_backend().clear()
        yield haystack.connections["default"].get_backend()
        return
    original = haystack.connections.connections_info
    settings.HAYSTACK_CONNECTIONS = {
        "default": {"ENGINE": "search.whoosh_backend.ArchiveWhooshEngine", "PATH": str(tmp_path / "index")}
    }
    haystack.connections.connections_info = settings.HAYSTACK_CONNECTIONS
    haystack.connections.reload("default")
    yield haystack.connections["default"].get_backend()
    haystack.connections.connections_info = original
    haystack.connections.reload("default")


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
