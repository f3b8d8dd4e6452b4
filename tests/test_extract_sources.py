import pytest

from digest.extract import extractor_from_files


@pytest.fixture(scope="module")
def extractor():
    return extractor_from_files()


@pytest.mark.parametrize("sentence, source", [
    ("At least 63 people were killed on Tuesday, Reuters reports.", "Reuters"),
    ("According to Deutsche Welle, the minister wants weapons.", "Deutsche Welle"),
    ("“The Observatory said the raids hit a market,” the BBC reports.", "BBC"),
    ("“A siege would cut off half a million people,” the Los Angeles Times wrote on Monday.", "Los Angeles Times"),
    ("“Syria’s opposition urged the envoy,” AFP reports.", "AFP"),
    ("The Washington Post reported that officials had been in contact.", "The Washington Post"),
    ("Troops retook the hills, the state news agency SANA said.", "SANA"),
    ("Lister told the Financial Times the push was coordinated.", "Financial Times"),
    ("The Kremlin called it aggression, TASS reported.", "TASS"),
    ("At least 19 people died, Hurriyet reports.", "Hurriyet"),
    ("The talks failed, the Associated Press reports.", "AP"),
    ("Iran condemned the attack, the semi-official Fars news agency reported.", "Fars"),
    ("Riyadh was “fueling the fire,” the Tehran Times reported.", "Tehran Times"),
    ("Jobs are scarce, per the Wall Street Journal.", "The Wall Street Journal"),
    ("Troops advanced, SANA, the official news agency, said.", "SANA"),
    ("Al-Arabiya, citing sources inside the camp, said 13 were killed.", "Al Arabiya"),
    ("Haaretz’s report that jets struck could not be confirmed.", "Haaretz"),
    ("Jordan barred them, as first reported by Middle East Eye.", "Middle East Eye"),
    ("The minister said in an interview with CNN that it was over.", "CNN"),
    ("The camp was hit, residents told The Associated Press.", "AP"),
    ("Hanin Ghaddar wrote in Foreign Policy that the ministry would grow.", "Foreign Policy"),
    ("A deal was struck, as first reported by the Kurdish news agency ANHA.", "ANHA"),
])
def test_attributed_outlets_are_cited_sources(extractor, sentence, source):
    assert extractor.extract("Headline", [sentence]).as_json()["sources"] == [source]


def test_an_outlet_named_without_attribution_is_not_a_cited_source(extractor):
    found = extractor.extract("Reuters Office Closed", ["Authorities closed Al Jazeera’s bureau in Cairo."])
    assert found.as_json()["sources"] == []


def test_a_cited_organisation_is_an_actor_not_a_source(extractor):
    found = extractor.extract("Headline", ["According to the Syrian Observatory for Human Rights, 40 died."]).as_json()
    assert (found["sources"], found["actors"]) == ([], ["Syrian Observatory for Human Rights"])


@pytest.mark.parametrize("sentence, source", [
    ("Hezbollah’s al-Manar television said the army advanced.", "Al-Manar"),
    ("The talks had failed, Al Masdar News reported.", "Al-Masdar News"),
    ("Families were trapped, a resident told Al Bawaba.", "Al Bawaba"),
    ("The Jordan News Agency, Petra, reported the strikes.", "Petra"),
])
def test_outlets_are_found_however_the_arabic_article_is_written(extractor, sentence, source):
    assert extractor.extract("Headline", [sentence]).as_json()["sources"] == [source]


@pytest.mark.parametrize("sentence, source", [
    ("From Britain’s ITV news network: “The head of humanitarian aid is having talks.”", "ITV News"),
    ("“Fighters from across the Arab world dominate,” writes Liz Sly, the Washington Post’s Beirut bureau chief.",
     "The Washington Post"),
    ("The Washington Post is running a helpful guide to the strike.", "The Washington Post"),
])
def test_more_ways_an_outlet_is_cited(extractor, sentence, source):
    assert extractor.extract("Headline", [sentence]).as_json()["sources"] == [source]


def test_an_outlet_named_without_being_cited_is_no_source(extractor):
    found = extractor.extract("Headline", ["He once worked at Reuters and later in politics."])
    assert found.as_json()["sources"] == []


@pytest.mark.parametrize("sentence, source", [
    ("Rebels took the town, the pro-government Sabah newspaper reported.", "Sabah"),
    ("Fighters cleared mines, the Kurdish ARA News agency said.", "ARA News"),
    ("The Lebanese daily Sawt al-Shaab reported that talks had stalled.", "Sawt al-Shaab"),
    ("State news agency SANA reported an attack.", "SANA"),
])
def test_outlets_the_table_lacks_are_discovered_from_their_introduction(extractor, sentence, source):
    found = extractor.extract("Headline", [sentence])
    assert [(e.name, e.discovered) for e in found.of_kind("source")] == [(source, source != "SANA")]


def test_a_discovered_outlet_is_still_a_source_only_where_it_is_cited(extractor):
    found = extractor.extract("Headline", ["He wrote a column for the Sabah newspaper before the war."])
    assert found.as_json()["sources"] == []
