"""The archive the search page tests run on: tests/fixtures/search_page/archive.json, stored and indexed.

Three digests (November and December 2014, February 2015) of 22 stories,
whose places, actors and sources include hyphenated, dotted, accented and
apostrophe names. `expected_counts` counts the fixture itself, so tests can
check the engine's facet counts against a brute-force count.
"""
import datetime
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest
from django.utils.text import slugify
from haystack import connections

from digest.models import Digest, Entity, Mention, Story
from search.indexing import update_stories

ARCHIVE = Path(__file__).parent / "fixtures" / "search_page" / "archive.json"


def load_archive() -> dict:
    return json.loads(ARCHIVE.read_text(encoding="utf-8"))


def fixture_stories(data: dict) -> list[dict]:
    """Every story of the fixture with its digest's date, in fixture order."""
    return [dict(story, date=digest["date"]) for digest in data["digests"] for story in digest["stories"]]


def expected_counts(stories: list[dict], kind: str) -> dict[str, int]:
    return dict(Counter(name for story in stories for name in story["mentions"][kind]))


def store_archive(data: dict) -> dict[str, Story]:
    """Store the fixture through the models and index it; returns the stories by headline."""
    entities = {}
    for e in data["entities"]:
        # The migrations may already hold curated entities of the same name.
        entity, _ = Entity.objects.update_or_create(
            kind=e["kind"], name=e["name"], defaults={"actor_type": e.get("actor_type", "")},
            create_defaults={"slug": slugify(e["name"]), "actor_type": e.get("actor_type", "")},
        )
        entities[e["kind"], e["name"]] = entity
    stories = {}
    for digest_data in data["digests"]:
        text = "\n".join(s["headline"] + "\n" + s["body"] for s in digest_data["stories"])
        digest = Digest.objects.create(
            date=datetime.date.fromisoformat(digest_data["date"]),
            title=digest_data["title"],
            newsletter="Syria Daily Digest",
            file_name=f"{digest_data['date']}.txt",
            source_format="txt",
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            source_text=text,
        )
        for position, story_data in enumerate(digest_data["stories"], 1):
            story = Story.objects.create(
                digest=digest,
                position=position,
                headline=story_data["headline"],
                body=story_data["body"],
                slug=slugify(story_data["headline"])[:200],
            )
            Mention.objects.bulk_create(
                Mention(story=story, entity=entities[kind, name], surface_forms=[name])
                for kind, names in story_data["mentions"].items()
                for name in names
            )
            stories[story.headline] = story
    update_stories([story.pk for story in stories.values()])
    return stories


@pytest.fixture
def search_archive(db):
    """The fixture archive, alone in a freshly emptied index."""
    connections["default"].get_backend().clear()
    return store_archive(load_archive())
