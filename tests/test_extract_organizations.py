import pytest

from digest.extract import extractor_from_files


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


def actors(extractor, sentence):
    found = extractor.extract("Headline", [sentence])
    return [(e.name, e.actor_type, e.discovered) for e in found.of_kind("actor")]


@pytest.mark.parametrize("sentence, name, actor_type", [
    ("Food prices rose, the aid group Relief International said.", "Relief International", "organization"),
    ("Analysts at a Beirut-based think tank, the Issam Fares Institute, said the plan would fail.",
     "Issam Fares Institute", "organization"),
    ("“Russia sold us out,” said a senior official of TEV-DEM, the coalition that runs the region.",
     "TEV-DEM", "organization"),
    ("The Kurdish National Council said it would boycott the talks.", "Kurdish National Council", "organization"),
    ("Fighters of the Ansar Front said they took the hill.", "Ansar Front", "armed_group"),
])
def test_introduced_organisations_are_discovered(extractor, sentence, name, actor_type):
    assert actors(extractor, sentence) == [(name, actor_type, True)]


def test_an_organisation_introduced_by_an_armed_group_it_is_linked_to_is_armed(extractor):
    sentence = "The attack came according to Aknaf Beit al-Maqdis, a Hamas-linked group that defends the camp."
    assert actors(extractor, sentence) == [
        ("Aknaf Beit al-Maqdis", "armed_group", True), ("Hamas", "armed_group", False),
    ]


def test_the_organisation_a_speaker_comes_from_wins_over_a_place_in_its_name(extractor):
    found = extractor.extract("Headline", ["“This is a push,” Charles Lister of the Brookings Doha Center said."])
    assert (found.as_json()["places"], found.as_json()["actors"]) == ([], ["Charles Lister", "Brookings Doha Center"])


def test_a_bare_organisation_word_is_no_organisation(extractor):
    assert actors(extractor, "Then said Abu Omar of the Brigade.") == [("Abu Omar", "person", True)]


def test_the_tail_of_a_longer_name_is_no_second_organisation(extractor):
    found = actors(extractor, "Fighters of the Islamic Army of the Levant said they took the hill.")
    assert found == [("Islamic Army of the Levant", "armed_group", True)]


def test_an_organisation_name_may_go_on_after_its_head_word(extractor):
    found = extractor.extract("Headline", ["Balanche is a fellow at the Washington Institute for Near East Policy."])
    assert (found.as_json()["places"], found.as_json()["actors"]) == ([], ["Washington Institute for Near East Policy"])


@pytest.mark.parametrize("sentence, found", [
    ("Coalition spokesman Col. Ryan Dillon said the coalition would deconflict.",
     ["U.S.-led coalition", "Ryan Dillon"]),
    ("Moscow said it would treat coalition aircraft as targets.", ["U.S.-led coalition"]),
    ("The U.S.-led coalition struck Raqqa; the coalition said ten fighters died.", ["U.S.-led coalition"]),
    # "the coalition" alone refers back only to a coalition the story has named...
    ("Erdogan wants a buffer zone before Turkey joins the coalition.", ["Recep Tayyip Erdogan"]),
    # ...never describes another one, and says nothing where the story names another coalition.
    ("The Army of Conquest, as the coalition calls itself, took Idlib.", ["Jaish al-Fatah"]),
    ("The National Coalition said coalition officials had met.", ["National Coalition"]),
])
def test_coalition_in_this_archive_is_the_us_led_coalition(extractor, sentence, found):
    assert extractor.extract("Headline", [sentence]).as_json()["actors"] == found
