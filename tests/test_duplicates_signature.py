"""digest/duplicates/signature.py: shingles, MinHash signatures, band keys, and how the chosen
settings score on the labelled pairs (bench/near_duplicates.py prints the whole table)."""
import json
from pathlib import Path

import numpy as np
import pytest

from digest.duplicates import signature as sig

PAIRS = json.loads((Path(__file__).parent / "fixtures" / "near_duplicates" / "pairs.json").read_text())


def test_words_fold_accents_case_apostrophes_and_mask_numbers():
    assert sig.words("Deir ez-Zor’s 63 Dead, Ḥama's 1,200") == ["deir", "ez", "zors", "#", "dead", "hamas", "#", "#"]
    assert sig.words("63 dead", mask_numbers=False) == ["63", "dead"]


def test_shingles_leave_out_stopwords_and_repeat_nothing():
    shingles = sig.Shingling().shingles("The Siege of Aleppo", "The siege said to tighten on Tuesday, the 12th.")
    assert shingles == {b"siege", b"aleppo", b"tighten", b"12th"}


def test_word_and_character_shingles():
    assert sig.Shingling(words=2, drop_stopwords=False).shingles("Aleppo siege", "ends") == {b"aleppo siege", b"siege ends"}
    assert sig.Shingling(chars=4, drop_stopwords=False).shingles("Homs", "now") == {b"homs", b"oms ", b"ms n", b"s no", b" now"}


def test_a_story_too_short_to_tell_has_no_signature():
    assert sig.story_signature("Recommended Reads", "Reuters: Why Homs Matters") is None


def test_signature_is_deterministic_and_round_trips_through_bytes():
    story = PAIRS[0]["a"]
    first = sig.story_signature(story["headline"], story["body"])
    again = sig.story_signature(story["headline"], story["body"])
    assert first.dtype == np.uint32 and first.shape == (sig.NUM_PERM,)
    assert np.array_equal(first, again)
    assert np.array_equal(sig.from_bytes(sig.to_bytes(first)), first)
    assert len(sig.to_bytes(first)) == 4 * sig.NUM_PERM


def test_similarity_estimates_jaccard_and_identical_stories_share_every_band():
    a, b = PAIRS[0]["a"], PAIRS[0]["b"]
    sa, sb = sig.story_signature(a["headline"], a["body"]), sig.story_signature(b["headline"], b["body"])
    shingling = sig.Shingling()
    x, y = shingling.shingles(a["headline"], a["body"]), shingling.shingles(b["headline"], b["body"])
    assert sig.similarity(sa, sb) == pytest.approx(len(x & y) / len(x | y), abs=0.12)
    assert sig.similarity(sa, sa) == 1.0
    assert len(sig.band_keys(sa)) == sig.BANDS
    assert sig.band_keys(sa) == sig.band_keys(sa.copy())
    assert all(-2**63 <= key < 2**63 for key in sig.band_keys(sa))


def test_the_same_values_in_different_bands_give_different_keys():
    values = np.zeros(sig.NUM_PERM, dtype=np.uint32)
    assert len(set(sig.band_keys(values))) == sig.BANDS


def linked(pair):
    a, b = (sig.story_signature(pair[s]["headline"], pair[s]["body"]) for s in "ab")
    if a is None or b is None:
        return False
    return sig.similarity(a, b) >= sig.THRESHOLD and bool(set(sig.band_keys(a)) & set(sig.band_keys(b)))


def test_chosen_settings_on_the_labelled_pairs():
    """The figures reported for issue 13: precision 16/18, recall 16/17 at THRESHOLD 0.45."""
    found = [pair for pair in PAIRS if linked(pair)]
    true = [pair for pair in found if pair["label"] == "same"]
    assert (len(true), len(found), sum(p["label"] == "same" for p in PAIRS)) == (16, 18, 17)
    missed = {p["id"] for p in PAIRS if p["label"] == "same"} - {p["id"] for p in true}
    assert missed == {"jordan-pilot-hard-paraphrase"}
    assert {p["id"] for p in found if p["label"] != "same"} == {"weekly-casualties-boilerplate", "earthquake-two-countries"}
