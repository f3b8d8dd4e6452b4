"""The labelled sets bench/extraction.py scores: well-formed, and scored at least as well as when
issue 9's rules were merged, so a change that loses real-text accuracy fails here first."""
import importlib.util
import json
from pathlib import Path

import pytest

from digest.extract import extractor_from_files

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("bench_extraction", ROOT / "bench" / "extraction.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

# F1 per class on the whole archive-style set when the rules were merged, less a small margin.
FLOORS = {"places": 0.96, "actors": 0.95, "sources": 0.98}


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


@pytest.mark.parametrize("name", list(bench.SETS))
def test_every_gold_file_names_a_split_and_stories_its_digest_has(name):
    for gold_path in sorted(bench.SETS[name].glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        assert gold["split"] in bench.SPLITS, gold_path.name
        assert all(set(story) == {"headline", "places", "actors", "sources"} for story in gold["stories"])
    stories = [s for split in bench.SPLITS for s in bench.labelled_stories(bench.SETS[name], split)]
    assert len(stories) == sum(
        len(json.loads(p.read_text(encoding="utf-8"))["stories"]) for p in bench.SETS[name].glob("*.json")
    )


def test_the_archive_set_has_twenty_digests_or_more_with_some_held_out():
    splits = [json.loads(p.read_text(encoding="utf-8"))["split"] for p in bench.SETS["archive"].glob("*.json")]
    assert len(splits) >= 20 and splits.count("heldout") >= 6


def f1(tp, found, gold):
    return 2 * tp / (found + gold) if found + gold else 0.0


def test_the_archive_set_scores_at_least_its_floors(extractor):
    stories = [s for split in bench.SPLITS for s in bench.labelled_stories(bench.SETS["archive"], split)]
    counts, (types_right, types_checked), _, _ = bench.score(extractor, stories)
    assert {cls: round(f1(*counts[cls]), 3) >= floor for cls, floor in FLOORS.items()} == dict.fromkeys(FLOORS, True)
    assert types_right / types_checked >= 0.99


def test_the_first_set_is_still_scored_as_well_as_before(extractor):
    stories = [s for split in bench.SPLITS for s in bench.labelled_stories(bench.SETS["first"], split)]
    counts, _, (seed_exact, seed_total), _ = bench.score(extractor, stories)
    assert (seed_exact, seed_total) == (3, 3)
    assert all(f1(*counts[cls]) >= 0.98 for cls in bench.CLASSES)
