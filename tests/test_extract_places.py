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
    ("Fighting reached the Bustan al-Basha district.", "Bustan al-Basha"),
    ("Clashes erupted in Hamouriyeh, a suburb of Damascus.", "Hamouriyeh"),
    ("Troops massed in Madaya, near the Lebanese border.", "Madaya"),
    ("ISIS attacked the town of al-Shaddadi overnight.", "al-Shaddadi"),
    ("Jets struck villages in Anbar province.", "Anbar"),
    ("Explosions lit up the sky over Mount Qassioun.", "Mount Qassioun"),
    ("Shelling hit Jabal Shahshabo again.", "Jabal Shahshabo"),
    ("Civilians massed at the Nasib crossing.", "Nasib"),
    ("Rebels shelled the Taftanaz air base.", "Taftanaz"),
    ("Fighting raged near Rajo.", "Rajo"),
    ("Residents fled to Wadi al-Deif.", "Wadi al-Deif"),
    ("Shells hit the besieged Bustan al-Basha district.", "Bustan al-Basha"),
    ("Fighting reached villages in eastern Hamadiyeh.", "Hamadiyeh"),
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


@pytest.mark.parametrize("sentence, names", [
    ("Fighting raged near Rajo and Bulbul.", ["Rajo", "Bulbul"]),
    ("Peshmerga took several villages east of the city, including Badana and Kani Harami.", ["Badana", "Kani Harami"]),
    ("Protests spread to the villages of Tal Shair, Kafr Hamra and Hreitan.", ["Tal Shair", "Kafr Hamra", "Hreitan"]),
    ("Civilians lived under siege in the Joura and Qusour neighbourhoods.", ["Joura", "Qusour"]),
])
def test_places_named_together_are_all_discovered(registry, sentence, names):
    assert discovered(registry, sentence) == [(name, name, True) for name in names]


def test_an_introduced_place_wins_over_a_shorter_place_inside_it(registry):
    found = discovered(registry, "Crowds gathered in Daraa al-Balad, the old quarter of the city.")
    assert found == [("Daraa al-Balad", "Daraa al-Balad", True)]


def test_an_introduced_place_the_gazetteer_knows_stays_the_gazetteer_place(registry):
    assert discovered(registry, "ISIS took the town of Palmyra.") == [("Palmyra", "Palmyra", False)]
