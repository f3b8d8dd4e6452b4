import pytest

from digest.extract import extractor_from_files
from digest.extract.document import StoryDoc
from digest.extract.names import match_names
from digest.extract.places import choose_places, discover_places


@pytest.fixture(scope="module")
def registry():
    return extractor_from_files().registry


def discovered(registry, *paragraphs, headline="Headline"):
    doc = StoryDoc.from_story(headline, list(paragraphs))
    doc = discover_places(match_names(doc, registry), registry)
    return [(s.surface, s.entity.name, s.entity.discovered) for s in doc.spans if s.entity and s.entity.kind == "place"]


@pytest.mark.parametrize("sentence, name", [
    ("Rebels took the town of Mhardeh on Monday.", "Mhardeh"),
    ("Shelling hit the rebel-held village of Tal Shair.", "Tal Shair"),
    ("Fighting reached the Bustan al-Qasr district.", "Bustan al-Qasr"),
    ("Clashes erupted in Zamalka, a suburb of Damascus.", "Zamalka"),
    ("Troops massed in Madaya, near the Lebanese border.", "Madaya"),
    ("ISIS attacked the town of al-Shaddadi overnight.", "al-Shaddadi"),
    ("Jets struck villages in Anbar province.", "Anbar"),
    ("Explosions lit up the sky over Mount Qassioun.", "Mount Qassioun"),
    ("Shelling hit Jabal al-Zawiya again.", "Jabal al-Zawiya"),
    ("Civilians massed at the Bab al-Salama crossing.", "Bab al-Salama"),
    ("Turkish artillery shelled the Menagh air base.", "Menagh"),
])
def test_introduced_places_are_discovered(registry, sentence, name):
    assert (name, name, True) in discovered(registry, sentence)


def test_a_discovered_place_is_recognised_everywhere_in_the_story(registry):
    found = discovered(registry, "Mhardeh is quiet.", "Rebels shelled the town of Mhardeh.", headline="Mhardeh Shelled")
    assert found == [("Mhardeh", "Mhardeh", True)] * 3


def test_plural_introductions_name_both_places(registry):
    found = discovered(registry, "Aid reached the besieged Shiite villages of Foua and Kefraya.")
    assert found == [("Foua", "Foua", True), ("Kefraya", "Kefraya", True)]


def test_known_places_are_not_rediscovered(registry):
    assert discovered(registry, "Jets hit the northeastern city of Raqqa and Raqqa province.") == [
        ("Raqqa", "Raqqa", False), ("Raqqa", "Raqqa", False),
    ]


def test_demonyms_and_headlines_are_not_discovered(registry):
    assert discovered(registry, "They fled the Syrian town of Kobani.", headline="The Town of Nowhere") == [
        ("Kobani", "Kobani", False),
    ]


def choose(registry, *paragraphs):
    doc = StoryDoc.from_story("Headline", list(paragraphs))
    doc = choose_places(match_names(doc, registry), registry)
    return [(s.entity.name, s.entity.country) for s in doc.spans if s.entity and s.entity.kind == "place"]


def test_a_shared_name_takes_the_country_the_story_is_about(registry):
    assert choose(registry, "Clashes in Tripoli spilled over from Syria into Lebanon.")[0] == ("Tripoli", "LB")


def test_without_context_a_shared_name_takes_the_most_populous(registry):
    assert choose(registry, "Clashes in Tripoli.") == [("Tripoli", "LY")]


def test_the_curated_supplement_settles_homs_hama_and_palmyra(registry):
    assert choose(registry, "Homs, Hama and Palmyra.") == [("Homs", "SY"), ("Hama", "SY"), ("Palmyra", "SY")]
