import pytest

from digest.extract import tables
from digest.extract.records import EntityRecord
from digest.extract.tables import spelling_variants, vowel_variants


def test_an_outlets_arabic_article_is_written_every_way():
    assert spelling_variants(EntityRecord("source", "Al-Manar", aliases=("Al Manar TV",))) == {
        "Al Manar", "al-Manar", "Al-Manar TV", "al-Manar TV",
    }
    assert spelling_variants(EntityRecord("source", "Reuters")) == set()


def test_a_place_in_an_arab_country_is_spelled_every_way():
    mayadin = EntityRecord("place", "Mayadin", aliases=("al-Mayadin",), country="SY")
    assert {"Mayadeen", "Al-Mayadin", "Al-Mayadeen", "al-Mayadeen"} <= spelling_variants(mayadin)
    assert spelling_variants(EntityRecord("place", "Geneva", country="CH")) == set()
    assert spelling_variants(EntityRecord("actor", "Hayat Tahrir al-Sham", "armed_group")) == set()


@pytest.mark.parametrize("form, variants", [
    ("Mayadin", {"Mayadeen"}),
    ("Qusair", {"Qousair"}),
    ("Idlib", {"Idleeb"}),
    ("Homs", {"Houms"}),
    ("Deir el-Zor", {"Deir el-Zour"}),
])
def test_vowel_variants(form, variants):
    assert vowel_variants(form) == variants


def test_the_rule_for_bodies_of_a_state_is_applied_to_every_government():
    governments = {entry.name: entry for entry in tables.government_entries()}
    assert {"Turkish foreign ministry", "Turkish embassy", "Turkish parliament"} <= set(
        governments["Turkish government"].aliases
    )
    assert {"Kremlin", "Federation Council"} <= set(governments["Russian government"].aliases)
    assert {"Assad government", "Assad regime"} <= set(governments["Syrian government"].aliases)
    assert {"Pentagon", "State Department", "White House"} <= set(governments["U.S. government"].aliases)
