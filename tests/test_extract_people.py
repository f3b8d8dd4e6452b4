import pytest

from digest.extract import extractor_from_files
from digest.extract.document import StoryDoc
from digest.extract.names import match_names
from digest.extract.people import discover_people, resolve_short_names, short_names


@pytest.fixture(scope="module")
def registry():
    return extractor_from_files().registry


def people(registry, *paragraphs, headline="Headline", steps=(discover_people,)):
    doc = match_names(StoryDoc.from_story(headline, list(paragraphs)), registry)
    for step in steps:
        doc = step(doc, registry)
    return [(s.surface, s.entity.name, s.entity.discovered) for s in doc.spans
            if s.entity and s.entity.actor_type == "person"]


@pytest.mark.parametrize("sentence, name", [
    ("Information Minister Omran al-Zoubi called it desertion.", "Omran al-Zoubi"),
    ("U.N. envoy Jan Egeland asked for access.", "Jan Egeland"),
    ("“We need weapons,” said Redur Xelil, a spokesman for the YPG.", "Redur Xelil"),
    ("“It is coordinated,” said Abu Omar of the Tawhid Brigade.", "Abu Omar"),
    ("Charles Lister of the Middle East Institute told the BBC.", "Charles Lister"),
    ("Talal Silo, the SDF spokesman, said the road was cut.", "Talal Silo"),
    ("Syria’s deputy foreign minister Faisal Mekdad called it war.", "Faisal Mekdad"),
])
def test_introduced_people_are_discovered(registry, sentence, name):
    assert people(registry, sentence) == [(name, name, True)]


def test_a_title_does_not_make_the_body_it_names_an_actor(registry):
    doc = discover_people(match_names(StoryDoc.from_story("H", ["U.N. envoy Jan Egeland spoke."]), registry), registry)
    assert [s.entity.name for s in doc.spans if s.entity] == ["Jan Egeland"]


def test_title_case_headlines_are_not_read_as_names(registry):
    assert people(registry, "He left.", headline="Syrian Foreign Minister Begins Two-Day Visit") == []


def test_known_people_are_not_rediscovered(registry):
    assert people(registry, "Foreign Minister Laurent Fabius spoke.") == [("Laurent Fabius", "Laurent Fabius", False)]


@pytest.mark.parametrize("name, forms", [
    ("Laurent Fabius", {"Fabius"}),
    ("Staffan de Mistura", {"Mistura", "de Mistura", "De Mistura"}),
    ("Walid al-Moallem", {"al-Moallem", "Moallem"}),
    ("Ban Ki-moon", {"Ki-moon"}),
])
def test_short_names(name, forms):
    assert short_names(name) == forms


def test_surnames_refer_to_the_person_named_in_full_in_the_same_story(registry):
    found = people(registry, "Information Minister Omran al-Zoubi spoke.", "Zoubi later left; al-Zoubi returned.",
                   steps=(discover_people, resolve_short_names))
    assert found == [("Omran al-Zoubi", "Omran al-Zoubi", True), ("Zoubi", "Omran al-Zoubi", True),
                     ("al-Zoubi", "Omran al-Zoubi", True)]


def test_short_names_are_only_resolved_within_a_story(registry):
    assert people(registry, "Zoubi left.", steps=(discover_people, resolve_short_names)) == []


def test_the_seed_short_forms(registry):
    found = people(registry, "U.N. envoy Staffan de Mistura and Laurent Fabius met.",
                   "According to Fabius, France works with De Mistura.", steps=(resolve_short_names,))
    assert [(surface, name) for surface, name, _ in found] == [
        ("Staffan de Mistura", "Staffan de Mistura"), ("Laurent Fabius", "Laurent Fabius"),
        ("Fabius", "Laurent Fabius"), ("De Mistura", "Staffan de Mistura"),
    ]
