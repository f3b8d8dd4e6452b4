import pytest

from digest.extract import extractor_from_files
from digest.extract.document import StoryDoc
from digest.extract.names import match_names
from digest.extract.people import (
    CAPITALISED_BEFORE, _after_capitalised_word, discover_people, resolve_short_names, short_names,
)


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
    ("U.N. envoy Jan Kubis asked for access.", "Jan Kubis"),
    ("“We need weapons,” said Redur Xelil, a spokesman for the YPG.", "Redur Xelil"),
    ("“It is coordinated,” said Abu Omar of the Tawhid Brigade.", "Abu Omar"),
    ("Charles Lister of the Middle East Institute told the BBC.", "Charles Lister"),
    ("Talal Silo, the SDF spokesman, said the road was cut.", "Talal Silo"),
    ("Syria’s deputy foreign minister Ayman Susan called it war.", "Ayman Susan"),
    ("The group’s spokesman, Nouri Mahmoud, told the crowd the Kurds would fight.", "Nouri Mahmoud"),
    ("At least 33 soldiers died, the governor of Hatay, Rahmi Dogan, told reporters.", "Rahmi Dogan"),
    ("Hanin Ghaddar wrote that the ministry would grow.", "Hanin Ghaddar"),
    ("The town fell, the Guardian’s Martin Chulov reports.", "Martin Chulov"),
    ("The brigade, led by Jamil Raadoun, shelled the city.", "Jamil Raadoun"),
    ("Fran Equiza, the UNICEF representative, told reporters that children died.", "Fran Equiza"),
    ("Dr. Zaher Sahloul spoke of the hospitals.", "Zaher Sahloul"),
    ("The French photographer Rémi Ochlik was killed.", "Rémi Ochlik"),
    ("Rebels advanced, said Major Youssef Hammoud, a spokesman.", "Youssef Hammoud"),
    ("Analyst Aron Lund said the group was strong.", "Aron Lund"),
    ("Rifaat Eid, who leads the party, accused the militants.", "Rifaat Eid"),
    ("Salafist cleric Ahmad al-Assir urged his followers to fight.", "Ahmad al-Assir"),
    ("The Kurds feared a race for the oil fields, wrote Fabrice Balanche, a fellow at an institute.",
     "Fabrice Balanche"),
    ("Amnesty documented the killing of Hevrin Khalaf, a Kurdish politician.", "Hevrin Khalaf"),
])

def test_introduced_people_are_discovered(registry, sentence, name):
    assert people(registry, sentence) == [(name, name, True)]


def test_a_title_does_not_make_the_body_it_names_an_actor(registry):
    doc = discover_people(match_names(StoryDoc.from_story("H", ["U.N. envoy Jan Kubis spoke."]), registry), registry)
    assert [s.entity.name for s in doc.spans if s.entity] == ["Jan Kubis"]


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


@pytest.mark.parametrize("sentence", [
    "The Health Ministry said 30 people died.",
    "Refugee Aid Committee said camps were full.",
])
def test_speakers_that_are_no_people_are_not_discovered(registry, sentence):
    assert people(registry, sentence) == []


def test_a_name_after_a_title_wins_over_a_place_inside_it(registry):
    assert people(registry, "Opposition negotiator Louay Safi blamed the government.") == [
        ("Louay Safi", "Louay Safi", True)
    ]


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


@pytest.mark.parametrize("sentence, person", [
    ("“We pulled out to save the wounded,” Abu Omar, a rebel fighter, told the agency.", "Abu Omar"),
    ("Umm Mahmoud, a mother of four who reached the town, said families were eating leaves.", "Umm Mahmoud"),
    ("Abu Bashir, a local council member, said 3,000 fighters had registered.", "Abu Bashir"),
    ("“They came at dawn,” said Abu Ahmad.", "Abu Ahmad"),
    ("A resident, Abu Hassan, said families were trapped.", "Abu Hassan"),
    ("Abu Hajer al-Homsi said the siege was broken.", "Abu Hajer al-Homsi"),
])
def test_people_known_by_a_kunya_are_discovered(extractor, sentence, person):
    found = extractor.extract("Headline", [sentence])
    assert [(e.name, e.actor_type, e.discovered) for e in found.of_kind("actor")] == [(person, "person", True)]


def test_a_kunya_inside_a_full_name_is_not_a_person_of_its_own(extractor):
    found = extractor.extract("Headline", ["SDF commander Ahmed Abu Khawla told reporters the push had begun."])
    assert found.as_json()["actors"] == ["SDF", "Ahmed Abu Khawla"]


def test_the_word_before_a_kunya_is_read_back_only_to_its_start():
    """The look back before a kunya gives what a search of all the text before it gives, also when
    the word before it is longer than the first window read."""
    long_word = "Al-" + "x" * 150
    texts = ["SDF commander Ahmed ", "told ", "", " ", "Ahmed \n", "ahmed ", "U.S.-backed ", "x" * 200 + " ",
             long_word + " ", "said " + long_word + " ", "Ahmed  ", "Ahmed\n", "O’Neil "]
    for text in texts:
        assert _after_capitalised_word(text, len(text)) == bool(CAPITALISED_BEFORE.search(text)), text
        padded = text + "Abu Omar"
        assert _after_capitalised_word(padded, len(text)) == bool(CAPITALISED_BEFORE.search(padded[:len(text)])), text


def test_a_kunya_is_not_every_man_of_its_name(extractor):
    found = extractor.extract("Headline", ["Abu Omar, a fighter, said Omar Khalil had been killed."])
    assert "Omar" not in found.of_kind("actor")[0].surface_forms
    assert short_names("Abu Omar") == set()


@pytest.mark.parametrize("sentence, journalist, outlet", [
    ("The BBC’s Jim Muir, reporting from Beirut, said officials feared a wave of refugees.", "Jim Muir", "BBC"),
    ("“No bread is left,” a baker told Al Jazeera’s Zeina Khodr.", "Zeina Khodr", "Al Jazeera"),
])
def test_an_outlets_journalist_is_a_person_and_cites_the_outlet(extractor, sentence, journalist, outlet):
    found = extractor.extract("Headline", [sentence]).as_json()
    assert found["actors"] == [journalist] and found["sources"] == [outlet]


def test_a_title_of_several_words_counts_in_lower_case(extractor):
    found = extractor.extract("Headline", ["The Israeli army’s chief of staff, Gadi Eisenkot, said so."]).as_json()
    assert found["actors"] == ["Israeli government", "Gadi Eisenkot"]


def test_a_person_introduced_after_according_to(extractor):
    found = extractor.extract("Headline", ["The toll rose, according to Karen Abuzayd, an American commissioner."])
    assert found.as_json()["actors"] == ["Karen Abuzayd"]
