"""The discovery patterns written for speed find exactly what their plain forms find."""
import re
from pathlib import Path

import pytest

from digest.extract import organizations, people, places, sources
from digest.extract.patterns import AfterContext, OnLines, WhereFound, plain_form, word_start
from digest.extract.registry import registry_from_files

FIXTURES = Path(__file__).parent / "fixtures"
EDGES = [
    "Rami Abdulrahman said the siege was over.",  # a match at the very start of the text
    "\nRami Abdulrahman said it.",
    "Jets struck. Rami Abdulrahman said it; and Walid Muallem said, as Leila Ahmad told",
    "The BBC's Lyse Doucet said it. The BBC’s Jim Muir told them.",
    "band Rami Abdulrahman said", "Sand Rami Abdulrahman said", "_and Rami Abdulrahman said",
    "the town of Morek, a village near Hama, and Kafr Zita, the town.",
    "Aknaf Beit al-Maqdis, a Hamas-linked group, of Jaish al-Islam, an armed group",
    "Misty Buswell, the spokeswoman, and Omar Khalil, a resident of the city",
    "Kafr Nabl, a town in Idlib, was shelled. Fighting in Tal Abyad, the border town, and at Morek, a village.",
    "Buses left from al-Waer, the last rebel-held neighborhood, into Jarablus, a border town; of Madaya, the town",
    "Min Morek, a village; bin Hama, a city; tin Homs, the city",
    # word_start: a word inside another never starts a match, one after a hyphen or a quote does
    "bathe town of Morek; lathe village of Kafr Zita; the-the town of Hama; ‘the village of Binnish",
    "Abu Omar said; Kabu Omar said; told Umm Ahmad; resold Umm Ahmad; a resident, Abu Hassan, said",
    "In Saraqeb, jets struck. Within Saraqeb, Jets struck; from Bashkoy toward Nubl; Afrom Bashkoy toward Nubl",
    "Wadi Barada and MKafr Nabl; Charles Lister of the Brookings Institution said; XCharles Lister of the Brookings said",
    "forces led by Abdullah Ocalan; misled by Abdullah Ocalan; the Lebanese daily As-Safir reported",
    "the Syrian Democratic Council said; aSyrian Democratic Council said; 2Syrian Democratic Council said",
    "Mezzeh military airport and Nayrab airbase\nthe Kweires air base, the Hama Road; Tartus\nairport Abu",
    "the Kurdish ARA News agency said\nthe pro-government Sabah newspaper reported, and Anadolu news agency of",
    "in Idlib province\nof Hama\ngovernorate; at Morek, north of Hama; in the northern Aleppo countryside",
    "several villages east of the city, including Badana and Kani Harami\nincluding Morek, the villages",
    "one village, al-Mansoura, was hit; none village, Morek, was; each town, Hama. A-each town, Homs.",
]


def discovery_patterns():
    """Every discovery pattern, each searched only WhereFound as the one it searches."""
    orgs, _ = organizations._introductions(tuple(registry_from_files().organization_words.items()))
    found = [p for p, _ in places.INTRODUCTIONS] + orgs + people.INTRODUCTIONS + people._kunya_patterns()[0]
    found += sources.OUTLET_INTRODUCTIONS
    return [p.compiled if isinstance(p, WhereFound) else p for p in found]


def fast_patterns():
    return [p for p in discovery_patterns() if isinstance(p, AfterContext)]


def texts():
    files = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md", ".html", ".eml"))
    return EDGES + [path.read_text(encoding="utf-8", errors="replace") for path in files]


def test_four_patterns_are_written_for_speed():
    assert len(fast_patterns()) == 4


@pytest.mark.parametrize("pattern", fast_patterns(), ids=lambda p: p.pattern[:40])
def test_a_pattern_written_for_speed_matches_as_its_plain_form(pattern):
    assert matches_on_every_text(pattern, re.compile(pattern.pattern)) >= 10


def matches_on_every_text(pattern, plain):
    """How many matches `pattern` finds over every text, after checking each is `plain`'s, span and groups."""
    assert pattern.groups == plain.groups
    matched = 0
    for text in texts():
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == expected, text[:200]
        matched += len(expected)
    return matched


def word_start_patterns():
    """Every discovery pattern that begins a part with word_start instead of `\\b`, or is searched OnLines."""
    found = discovery_patterns()
    return [p for p in found if isinstance(p, OnLines) or isinstance(p, re.Pattern) and plain_form(p.pattern) != p.pattern]


def where_found_patterns():
    orgs, _ = organizations._introductions(tuple(registry_from_files().organization_words.items()))
    found = [p for p, _ in places.INTRODUCTIONS] + orgs + people.INTRODUCTIONS
    return [p for p in found if isinstance(p, WhereFound)]


def test_word_start_is_a_word_boundary_then_the_words():
    fast = word_start("in", "of", "into")
    assert fast == "(?:i(?<=\\bi)(?:n|nto)|o(?<=\\bo)(?:f))"
    assert plain_form(f"x{fast} y") == "x\\b(?:in|of|into) y"
    assert [m.span() for m in re.finditer(fast, "in, tin into of-of")] == [(0, 2), (8, 10), (13, 15), (16, 18)]


def test_word_start_refuses_to_mix_a_class_with_letters():
    with pytest.raises(ValueError):
        word_start("[A-Z]x", "in")


def test_patterns_are_written_with_word_start():
    assert len(word_start_patterns()) == 27
    assert sum(isinstance(p, OnLines) for p in word_start_patterns()) == 8


def test_a_pattern_searched_on_lines_cannot_use_the_end_of_the_text():
    with pytest.raises(ValueError):
        OnLines(r"Abu \w+(?=,|$)", "Abu ")


def test_a_pattern_searched_on_lines_reads_every_line_that_needs_it():
    pattern = OnLines(r"\b(\w+) airport\b", r"\bairport\b")
    text = "Mezzeh airport and Nayrab airport\nno airfield\nTabqa airport"
    assert [m.span(1) for m in pattern.finditer(text)] == [(0, 6), (19, 25), (46, 51)]


@pytest.mark.parametrize("pattern", word_start_patterns(), ids=lambda p: plain_form(p.pattern)[:40])
def test_a_word_start_pattern_matches_as_its_plain_form(pattern):
    assert matches_on_every_text(pattern, re.compile(plain_form(pattern.pattern))) >= 1


def test_six_patterns_are_searched_only_where_a_cheap_expression_is_found():
    assert len(where_found_patterns()) == 6


@pytest.mark.parametrize("pattern", where_found_patterns(), ids=lambda p: plain_form(p.pattern)[:40])
def test_a_pattern_searched_where_found_matches_as_its_plain_form(pattern):
    assert matches_on_every_text(pattern, re.compile(plain_form(pattern.pattern))) >= 1


def test_a_pattern_searched_where_found_finds_nothing_where_its_expression_is_not():
    pattern = WhereFound(r"(?:^|\. )(\w+), who leads\b", ", who ")
    assert [m.span(1) for m in pattern.finditer("Ahmed, who leads it. Omar, who leads them")] == [(0, 5), (21, 25)]
    assert list(pattern.finditer("Ahmed who leads it")) == []
