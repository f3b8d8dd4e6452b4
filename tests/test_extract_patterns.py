"""The discovery patterns written for speed find exactly what their plain forms find."""
import re
from pathlib import Path

import pytest

from digest.extract import organizations, people, places
from digest.extract.patterns import AfterContext
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
]


def fast_patterns():
    orgs, _ = organizations._introductions(tuple(registry_from_files().organization_words.items()))
    found = [p for p in people.INTRODUCTIONS + orgs if isinstance(p, AfterContext)]
    found += [p for p, _, _ in places.INTRODUCTIONS if isinstance(p, AfterContext)]
    return found


def texts():
    files = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".md", ".html", ".eml"))
    return EDGES + [path.read_text(encoding="utf-8", errors="replace") for path in files]


def test_four_patterns_are_written_for_speed():
    assert len(fast_patterns()) == 4


@pytest.mark.parametrize("pattern", fast_patterns(), ids=lambda p: p.pattern[:40])
def test_a_pattern_written_for_speed_matches_as_its_plain_form(pattern):
    plain = re.compile(pattern.pattern)
    assert pattern.groups == plain.groups
    matched = 0
    for text in texts():
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in pattern.finditer(text)] == expected, text[:200]
        matched += len(expected)
    assert matched >= 10
