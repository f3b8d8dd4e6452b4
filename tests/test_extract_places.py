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
    ("Rebels took the town of Hbeit on Monday.", "Hbeit"),
    ("Shelling hit the rebel-held village of Tal Shair.", "Tal Shair"),
    ("Fighting reached the Bustan al-Basha district.", "Bustan al-Basha"),
    ("Clashes erupted in Hamouriyeh, a suburb of Damascus.", "Hamouriyeh"),
    ("Troops massed in Qarmeed, near the Lebanese border.", "Qarmeed"),
    ("ISIS attacked the town of al-Shaddadi overnight.", "al-Shaddadi"),
    ("Jets struck villages in Anbar province.", "Anbar"),
    ("Explosions lit up the sky over Mount Qassioun.", "Mount Qassioun"),
    ("Shelling hit Jabal Shahshabo again.", "Jabal Shahshabo"),
    ("Civilians massed at the Nasib crossing.", "Nasib"),
    ("Rebels shelled the Kbaneh air base.", "Kbaneh"),
    ("Fighting raged near Rajo.", "Rajo"),
    ("Residents fled to Wadi al-Deif.", "Wadi al-Deif"),
    ("Shells hit the besieged Bustan al-Basha district.", "Bustan al-Basha"),
    ("Fighting reached villages in eastern Hamadiyeh.", "Hamadiyeh"),
])

def test_introduced_places_are_discovered(registry, sentence, name):
    assert (name, name, True) in discovered(registry, sentence)


def test_a_discovered_place_is_recognised_everywhere_in_the_story(registry):
    found = discovered(registry, "Hbeit is quiet.", "Rebels shelled the town of Hbeit.", headline="Hbeit Shelled")
    assert found == [("Hbeit", "Hbeit", True)] * 3


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
    ("Fighting raged near Rajo and Jaadin.", ["Rajo", "Jaadin"]),
    ("Peshmerga took several villages east of the city, including Badana and Kani Harami.", ["Badana", "Kani Harami"]),
    ("Protests spread to the villages of Tal Shair, Kafr Hamra and Hamouriyeh.",
     ["Tal Shair", "Kafr Hamra", "Hamouriyeh"]),
    ("Civilians lived under siege in the Joura and Qusour neighbourhoods.", ["Joura", "Qusour"]),
])
def test_places_named_together_are_all_discovered(registry, sentence, names):
    assert discovered(registry, sentence) == [(name, name, True) for name in names]


def test_an_introduced_place_wins_over_a_shorter_place_inside_it(registry):
    found = discovered(registry, "Crowds gathered in Daraa al-Balad, the old quarter of the city.")
    assert found == [("Daraa al-Balad", "Daraa al-Balad", True)]


def test_an_introduced_place_the_gazetteer_knows_stays_the_gazetteer_place(registry):
    assert discovered(registry, "ISIS took the town of Palmyra.") == [("Palmyra", "Palmyra", False)]


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


def places(extractor, *paragraphs):
    return extractor.extract("Headline", list(paragraphs)).as_json()["places"]


@pytest.mark.parametrize("sentence, found", [
    # A village of the gazetteer counts where the text introduces a place there...
    ("Families reached Madaya on foot, activists in Damascus said.", ["Madaya", "Damascus"]),
    ("Jets struck the Madaya countryside near Damascus.", ["Madaya", "Damascus"]),
    ("Shells fell on Zabadani, Madaya and Serghaya.", ["Zabadani", "Madaya", "Sirghaya"]),
    ("Rebels fled to al-Dumayr from Damascus.", ["Ad Dumayr", "Damascus"]),
    ("Russian bombers took off from Hamadan air base.", ["Hamadan"]),
    # ...and not where the name stands for something else.
    ("Madaya said the talks had failed, Damascus replied.", ["Damascus"]),
    ("Refugees in Side and in Antalya were counted.", ["Antalya"]),  # Side, a Turkish town, is an English word
])
def test_villages_count_where_a_place_is_introduced(extractor, sentence, found):
    assert places(extractor, sentence) == found


def test_a_village_far_from_the_storys_other_places_is_not_the_one_meant(extractor):
    # Madaya is beside Damascus, 500 km from Qamishli: this Madaya is some other place.
    assert places(extractor, "Fighters from Qamishli moved to Madaya.") == ["Qamishli"]
    assert places(extractor, "Fighters from Zabadani moved to Madaya.") == ["Zabadani", "Madaya"]


def test_a_village_in_a_country_the_story_is_not_about_is_left_out(extractor):
    # Karkamış is a Turkish village; a story about Aleppo alone does not mean it.
    assert places(extractor, "Fighters from Aleppo moved to Karkamis.") == ["Aleppo"]
    assert places(extractor, "Fighters from Gaziantep moved to Karkamis.") == ["Gaziantep", "Karkamis"]


def test_a_curated_place_wins_over_a_gazetteer_place_of_the_same_name_in_its_country(extractor):
    assert places(extractor, "Refugees crossed into Arsal, in Lebanon.") == ["Arsal", "Lebanon"]


@pytest.mark.parametrize("sentence, found", [
    ("Rebels retook Ratyan and Hardatneen on Wednesday.", ["Ratyan", "Hardatneen"]),
    ("Buses left Arbin, Zamalka and Ain Tarma for Idlib.", ["Irbin", "Zamalka", "Ain Tarma", "Idlib"]),
    ("The missiles hit SDF positions in Jaadin, south of the dam.", ["Jaadin"]),
    ("Hezbollah fighters led the push toward Nubl and Zahraa.", ["Nubl", "Zahraa"]),
    ("They want to cut the Castello Road, the last way out.", ["Castello Road"]),
    ("Residents celebrated in the Sheikh Saeed and Ansari districts.", ["Sheikh Saeed", "Ansari"]),
])
def test_places_are_discovered_from_what_happens_there(extractor, sentence, found):
    assert places(extractor, sentence) == found


@pytest.mark.parametrize("sentence", [
    "“The fate of Palmyra is ours,” said Maamoun Abdulkarim, Syria’s head of antiquities.",
    "Soldiers were killed in Idlib, the governor of Hatay, Rahmi Dogan, told reporters.",
    "Troops crossed five days into Operation Peace Spring.",
    "The speech was broadcast in Arabic, then in English.",
    "Fighters in Division 13 refused to join.",
    "The victors shared Germany. However, an enclave adjacent to France remained.",
    "In Photos: life returns to the old market. In Addition, aid arrived.",
])
def test_names_that_only_follow_a_place_word_are_not_places(extractor, sentence):
    assert all(not e.discovered for e in extractor.extract("Headline", [sentence]).of_kind("place"))


@pytest.mark.parametrize("sentence, found", [
    ("Hezbollah led the push from Bashkoy toward Nubl.", ["Bashkoy", "Nubl"]),
    ("Airstrikes hit Qourieh, a town in Deir Ezzor province.", ["Qourieh", "Deir ez-Zor"]),
    ("The casualties came from airstrikes on Qourieh, a town in Deir Ezzor.", ["Qourieh", "Deir ez-Zor"]),
    ("Jets struck Talbiseh and al-Lataminah in northern Hama.", ["Talbiseh", "al-Lataminah", "Hama"]),
    ("In Mayadeen, residents said the missiles hit a farm.", ["Mayadin"]),
    ("Warships in the eastern Mediterranean fired at Raqqa.", ["Raqqa"]),
    ("Most deaths were in one village, al-Mansoura, west of Raqqa.", ["al-Mansoura", "Raqqa"]),
    ("Jets flew from Hmeimim air base near Latakia.", ["Hmeimim", "Latakia"]),
    ("Clashes went on in Deir al-Zour.", ["Deir ez-Zor"]),
    ("Troops massed east of the Euphrates near Hajin.", ["Hajin"]),
])
def test_more_ways_places_are_named(extractor, sentence, found):
    assert places(extractor, sentence) == found
