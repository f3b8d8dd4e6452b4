"""The JSON archives the search tests store, and the one loader for both.

tests/fixtures/search/stories.json: seven stories in three digests (the query and index tests).
tests/fixtures/search_page/archive.json: 22 stories in three digests (November and December
2014, February 2015) whose places, actors and sources include hyphenated, dotted, accented and
apostrophe names (the page, API and engine-parity tests). `expected_counts` counts a fixture
itself, so tests can check an engine's facet counts against a brute-force count.
The fixtures that store them (`indexed_stories`, `search_archive`) are in conftest.py.
"""
import datetime
import hashlib
import json
from collections import Counter
from pathlib import Path

from django.utils.text import slugify

from digest.models import Digest, Entity, Mention, Story

FIXTURES = Path(__file__).parent / "fixtures"
SEARCH_STORIES = FIXTURES / "search" / "stories.json"
SEARCH_PAGE_ARCHIVE = FIXTURES / "search_page" / "archive.json"


def load_archive(path: Path = SEARCH_PAGE_ARCHIVE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_stories() -> dict:
    return load_archive(SEARCH_STORIES)


def fixture_stories(data: dict) -> list[dict]:
    """Every story of the fixture with its digest's date, in fixture order."""
    return [dict(story, date=digest["date"]) for digest in data["digests"] for story in digest["stories"]]


def expected_counts(stories: list[dict], kind: str) -> dict[str, int]:
    return dict(Counter(name for story in stories for name in story["mentions"][kind]))


def store_archive(data: dict, only_its_entities: bool = False) -> dict[str, Story]:
    """The fixture's digests, stories and mentions as rows (not indexed); the stories by headline.

    With `only_its_entities` the registry the migrations load is emptied first, so the fixture's
    entities are the only ones.
    """
    if only_its_entities:
        Entity.objects.all().delete()
    entities = {}
    for e in data["entities"]:
        entities[e["kind"], e["name"]], _ = Entity.objects.update_or_create(
            kind=e["kind"], name=e["name"], defaults={"actor_type": e.get("actor_type", "")},
            create_defaults={"slug": slugify(e["name"]) or "x", "actor_type": e.get("actor_type", "")},
        )
    stories = {}
    for digest_data in data["digests"]:
        text = "\n".join(s["headline"] + "\n" + s["body"] for s in digest_data["stories"])
        digest = Digest.objects.create(
            date=datetime.date.fromisoformat(digest_data["date"]),
            title=digest_data.get("title", f"Digest {digest_data['date']}"),
            newsletter="Syria Daily Digest",
            file_name=f"{digest_data['date']}.txt",
            source_format="txt",
            sha256=hashlib.sha256(f"{digest_data['date']}\n{text}".encode()).hexdigest(),
            source_text=text,
        )
        for position, story_data in enumerate(digest_data["stories"], 1):
            story = Story.objects.create(
                digest=digest, position=position, headline=story_data["headline"], body=story_data["body"],
                slug=slugify(story_data["headline"])[:200],
            )
            Mention.objects.bulk_create(
                Mention(story=story, entity=entities[kind, name], surface_forms=[name])
                for kind, names in story_data["mentions"].items() for name in names
            )
            stories[story.headline] = story
    return stories
