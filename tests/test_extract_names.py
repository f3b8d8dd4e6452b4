import pytest

from digest.extract import extractor_from_files
from digest.extract.document import StoryDoc
from digest.extract.names import match_names
from digest.extract.registry import DEMONYM, STOP, TITLE


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


def names(extractor, *paragraphs, headline="Headline"):
    return extractor.extract(headline, list(paragraphs)).as_json()


def test_aliases_name_one_actor(extractor):
    found = names(extractor, "ISIS, also called ISIL or Daesh, is the Islamic State group; IS fighters fled.")
    assert found["actors"] == ["ISIS"]
    assert found["actor_types"] == {"ISIS": "armed_group"}


def test_surface_forms_and_counts_are_kept(extractor):
    found = extractor.extract("ISIS Retreats", ["ISIL fighters and Daesh units left; ISIS regrouped."])
    (isis,) = found.entities
    assert isis.surface_forms == {"ISIS": 2, "ISIL": 1, "Daesh": 1}
    assert isis.count == 4


def test_possessives_name_the_place(extractor):
    assert names(extractor, "Russia’s deputy foreign minister and Raqqa’s museum.")["places"] == ["Russia", "Raqqa"]


def test_gazetteer_places_get_english_news_names_and_coordinates(extractor):
    found = extractor.extract("Fighting Near Kobani", ["Shelling hit Ar Raqqah and Raqqa province, then Deraa."])
    places = {e.name: e for e in found.of_kind("place")}
    assert list(places) == ["Kobani", "Raqqa", "Daraa"]
    assert (places["Raqqa"].geonameid, places["Raqqa"].country) == (172955, "SY")
    assert places["Raqqa"].surface_forms == {"Ar Raqqah": 1, "Raqqa": 1}
    assert round(places["Kobani"].latitude, 2) == 36.89


def test_diacritics_are_dropped_from_gazetteer_names(extractor):
    found = names(extractor, "ISIS advanced on Hit in Anbar province and on Zahle.")
    assert found["places"] == ["Hit", "Anbar", "Zahle"]


def test_demonyms_are_not_places_but_state_forces_are_governments(extractor):
    found = names(extractor, "Syrian government forces and Russian warplanes hit a Syrian village near the Turkish "
                             "border.")
    assert found["places"] == []
    assert found["actor_types"] == {"Syrian government": "government", "Russian government": "government"}


def test_the_kremlin_and_a_state_force_noun_name_governments(extractor):
    found = names(extractor, "The Kremlin denied it. Turkish artillery and Israeli warplanes fired.")
    assert found["actors"] == ["Russian government", "Turkish government", "Israeli government"]


def test_stoplist_words_are_never_entities(extractor):
    found = names(extractor, "On Tuesday, Western calls grew; Recommended Reads follow in November.",
                  headline="Monday Briefing")
    assert found == {"places": [], "actors": [], "sources": [], "actor_types": {}}


def test_gazetteer_names_that_are_english_words_are_stopped(extractor):
    assert names(extractor, "Of the fighters, Male and Can were words, not towns.")["places"] == []


def test_match_names_marks_titles_demonyms_and_stop_forms(extractor):
    doc = match_names(StoryDoc.from_story("Headline", ["Syrian Foreign Minister Walid al-Moallem spoke on Monday."]),
                      extractor.registry)
    assert [(s.surface, s.marker, s.entity and s.entity.name) for s in doc.spans] == [
        ("Syrian", DEMONYM, None),
        ("Foreign Minister", TITLE, None),
        ("Walid al-Moallem", None, "Walid al-Moallem"),
        ("Monday", STOP, None),
    ]


def test_compounds_name_where_things_are_and_who_stands_behind_them(extractor):
    found = names(extractor, "The Beirut-based paper said the Hamas-linked group and U.S.-backed fighters left.")
    assert (found["places"], found["actors"]) == (["Beirut"], ["Hamas"])


def test_a_country_possessive_with_a_state_noun_is_its_government(extractor):
    found = names(extractor, "Russia’s Defence Ministry said it had hit targets.")
    assert (found["places"], found["actors"]) == (["Russia"], ["Russian government"])


def test_a_state_force_written_with_a_place_name_names_the_place_too(extractor):
    found = names(extractor, "U.S. troops are stationed there, the U.S. Central Command said.")
    assert (found["places"], found["actors"]) == (["United States"], ["U.S. government", "U.S. Central Command"])


@pytest.mark.parametrize("sentence, actors", [
    ("The Turkish foreign ministry summoned the ambassador.", ["Turkish government"]),
    ("The Russian Defence Ministry said jets hit 40 targets.", ["Russian government"]),
    ("Russia’s foreign ministry called it a provocation.", ["Russian government"]),
    ("The Kremlin declined to comment.", ["Russian government"]),
    ("The Pentagon and the State Department disagreed.", ["U.S. government"]),
    ("The Assad government rejected the plan.", ["Syrian government"]),
    ("The Iranian embassy in Damascus confirmed it.", ["Iranian government"]),
    ("The Iranian Supreme National Security Council approved the flights.", ["Iranian government"]),
    ("Fiji’s military commander said talks had begun.", ["Fijian government"]),
])
def test_a_body_of_a_state_is_its_government(extractor, sentence, actors):
    assert names(extractor, sentence)["actors"] == actors


@pytest.mark.parametrize("sentence", [
    "Jabhat Fatah al-Sham attacked the checkpoint.",
    "Jabhat Fateh al-Sham, formerly the Nusra Front, attacked the checkpoint.",
    "JFS fighters attacked the checkpoint.",
])
def test_a_renamed_group_is_the_group_it_was(extractor, sentence):
    assert names(extractor, sentence)["actors"] == ["Jabhat al-Nusra"]
