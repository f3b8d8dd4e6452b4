"""The whole extractor on the seed digest, read and split the way ingestion does it."""
import json

import pytest

from digest.extract import extractor_from_files
from digest.extract.pipeline import STEPS
from digest.ingest.readers import read_document
from digest.ingest.splitter import split_digest


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


@pytest.fixture
def seed_stories(seed_path):
    return split_digest(read_document(seed_path.name, seed_path.read_bytes())).stories


def test_every_seed_story_matches_its_gold_labels(extractor, seed_stories, fixtures_dir):
    gold = json.loads((fixtures_dir / "labelled" / "000_seed.json").read_text(encoding="utf-8"))
    for story, want in zip(seed_stories, gold["stories"], strict=True):
        found = extractor.extract(story.headline, story.paragraphs).as_json()
        assert story.headline == want["headline"]
        assert sorted(found["places"]) == sorted(want["places"])
        assert found["actor_types"] == want["actors"]
        assert sorted(found["sources"]) == sorted(want["sources"])


def test_as_json_lists_canonical_names_in_order_of_first_mention(extractor, seed_stories):
    story = seed_stories[0]
    assert extractor.extract(story.headline, story.paragraphs).as_json() == {
        "places": ["Raqqa", "Syria"],
        "actors": ["Syrian government", "ISIS", "Syrian Observatory for Human Rights", "Rami Abdulrahman",
                   "U.S.-led coalition"],
        "sources": ["Reuters", "BBC"],
        "actor_types": {
            "Syrian government": "government",
            "ISIS": "armed_group",
            "Syrian Observatory for Human Rights": "organization",
            "Rami Abdulrahman": "person",
            "U.S.-led coalition": "government",
        },
    }


def test_found_entities_carry_surface_forms_and_gazetteer_data(extractor, seed_stories):
    story = seed_stories[0]
    entities = {e.name: e for e in extractor.extract(story.headline, story.paragraphs).entities}
    assert entities["ISIS"].surface_forms == {"ISIS": 4, "Islamic State": 1}
    assert entities["Syrian Observatory for Human Rights"].surface_forms == {
        "Syrian Observatory for Human rights": 1, "Syrian Observatory": 1, "Observatory": 1,
    }
    assert (entities["Raqqa"].geonameid, entities["Raqqa"].country, entities["Raqqa"].count) == (172955, "SY", 6)
    assert entities["Rami Abdulrahman"].discovered is False


def test_the_steps_run_in_a_fixed_order(extractor):
    assert [step.__name__ for step in STEPS] == [
        "match_names", "discover_organizations", "discover_places", "discover_people", "resolve_short_names",
        "choose_places",
        "keep_attributed_sources",
    ]
    doc = extractor.run("Headline", ["Reuters reports."])
    assert [(s.surface, s.entity.name) for s in doc.spans] == [("Reuters", "Reuters")]


def test_the_steps_run_with_the_cyclic_garbage_collector_paused(extractor):
    """A long story builds hundreds of thousands of spans and hits, none of them garbage: collections
    walking them all grew faster than the story."""
    import gc

    from digest.extract import Extractor

    seen = []
    steps = [lambda doc, registry: seen.append(gc.isenabled()) or doc]
    assert gc.isenabled()
    Extractor(extractor.registry, steps).extract("Headline", ["Reuters reports."])
    assert seen == [False] and gc.isenabled()
