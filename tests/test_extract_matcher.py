import pytest

from digest.extract.matcher import NameMatcher, WordIndex, fold


def found(matcher, text):
    return [(hit.surface, hit.value) for hit in matcher.find(text)]


def test_matches_on_word_boundaries_only():
    matcher = NameMatcher({"Syria": "place", "Homs": "place"})
    assert found(matcher, "Syrian troops left Homs, not Homsi.") == [("Homs", "place")]


def test_possessive_with_either_apostrophe_keeps_the_bare_name():
    matcher = NameMatcher({"Russia": "R"})
    assert found(matcher, "Russia’s envoy and Russia's army") == [("Russia", "R"), ("Russia", "R")]


def test_one_word_forms_match_their_exact_case():
    matcher = NameMatcher({"IS": "ISIS", "Hit": "place"})
    assert found(matcher, "It is a hit in Hit, IS says") == [("Hit", "place"), ("IS", "ISIS")]


def test_longer_forms_ignore_case_after_a_matching_capital():
    matcher = NameMatcher({"Syrian Observatory for Human Rights": "SOHR", "the Islamic State": "ISIS"})
    text = ("According to the Syrian Observatory for Human rights, The Islamic State fled; "
            "syrian observatory for human rights")
    assert found(matcher, text) == [("Syrian Observatory for Human rights", "SOHR"), ("The Islamic State", "ISIS")]


def test_a_short_name_written_in_lower_case_is_not_matched():
    matcher = NameMatcher({"Russia Today": "RT", "Russia": "place"})
    assert found(matcher, "He flies to Russia today; Russia Today reports") == [
        ("Russia", "place"), ("Russia Today", "RT"),
    ]


def test_leftmost_longest_wins_and_nothing_overlaps():
    matcher = NameMatcher({"U.S.": "place", "U.S.-led coalition": "actor", "coalition": "word"})
    assert found(matcher, "The U.S.-led coalition and the U.S. struck") == [
        ("U.S.-led coalition", "actor"), ("U.S.", "place"),
    ]


def test_hyphenated_compounds_do_not_name_their_parts():
    matcher = NameMatcher({"Assad": "person"})
    assert found(matcher, "pro-Assad militias met Assad-era officials; Assad spoke") == [("Assad", "person")]


def test_fold_keeps_offsets():
    text = "İdlib’s"
    assert len(fold(text)) == len(text)


def test_no_forms_finds_nothing():
    assert NameMatcher({}).find("Aleppo") == []


def index_finds(text, forms):
    return [(hit.start, hit.surface, hit.value, hit.compound) for hit in WordIndex(text, fold(text)).find(forms)]


def matcher_finds(text, forms):
    return [(hit.start, hit.surface, hit.value, hit.compound) for hit in NameMatcher(forms).find(text)]


@pytest.mark.parametrize("forms", [
    {"Abu Omar": "person"},
    {"Omar": "person", "Abu Omar": "person"},
    {"al-Moallem": "person", "Moallem": "person"},
    {"de Mistura": "person", "De Mistura": "person", "Mistura": "person"},
    {"Mercy Corps": "organization"},
    {"U.S.": "place"},
    {"Ma'arrat al-Nu'man": "place"},
    {"Ab": "x", "Abab": "y"},
    {"'Abd": "x"},
])
def test_the_word_index_finds_what_the_matcher_finds(forms):
    text = ("Abu Omar met Omar and ABU OMAR; abu Omar said the Mercy Corps-backed clinic and Mercy Corps’ "
            "staff left. Walid al-Moallem (Moallem, al-Moallem’s aide) met Staffan de Mistura; De Mistura "
            "and Mistura-led talks, the U.S. and U.S.-backed forces. Ma’arrat al-Nu’man, Abab abab Ababab, "
            "'Abd and x'Abd.")
    assert index_finds(text, forms) == matcher_finds(text, forms)
    assert index_finds(text, forms)


def test_the_word_index_finds_every_name_of_a_labelled_digest_as_the_matcher_does(fixtures_dir):
    from digest.extract import extractor_from_files
    from digest.ingest.readers import read_document
    from digest.ingest.splitter import split_digest

    extractor = extractor_from_files()
    path = fixtures_dir / "labelled" / "001_aleppo_2012-08.txt"
    stories = split_digest(read_document(path.name, path.read_bytes())).stories
    text = "\n".join(p for story in stories for p in [story.headline, *story.paragraphs])
    names = {e.name for story in stories for e in extractor.extract(story.headline, story.paragraphs).entities}
    names |= {name.split()[-1] for name in names}
    assert len(names) > 40
    for name in sorted(names):
        assert index_finds(text, {name: 1}) == matcher_finds(text, {name: 1}), name


def test_fold_makes_quotes_plain_and_keeps_offsets_around_longer_lower_cases():
    text = "İdlib’s ‘Raqqa’ and `Homs`"
    assert fold(text) == "İdlib's 'raqqa' and 'homs'"


def test_forms_added_later_are_found_as_a_new_matcher_finds_them(monkeypatch):
    from digest.extract import matcher as matcher_module

    monkeypatch.setattr(matcher_module, "MERGE_AT", 2)
    forms = {"Aleppo": "place", "Free Syrian Army": "actor"}
    matcher = NameMatcher(forms)
    text = "Nour Bakar of the Free Syrian army left Aleppo for Kafr Batna and Tal Huwayl; Bakar spoke."
    for form, value in [("Nour Bakar", "person"), ("Kafr Batna", "place"), ("Free Syrian army", "other"),
                        ("Tal Huwayl", "place"), ("Bakar", "person")]:
        forms[form] = value
        matcher.add([form])
        assert found(matcher, text) == found(NameMatcher(forms), text)
    assert found(matcher, text) == [
        ("Nour Bakar", "person"), ("Free Syrian army", "actor"), ("Aleppo", "place"), ("Kafr Batna", "place"),
        ("Tal Huwayl", "place"), ("Bakar", "person"),
    ]


def test_a_value_changed_in_place_is_what_the_matcher_finds():
    forms = {"Hama": "place"}
    matcher = NameMatcher(forms)
    forms["Hama"] = "stop"
    assert found(matcher, "Shelling in Hama.") == [("Hama", "stop")]


def test_forms_added_one_by_one_stay_in_a_few_automata_and_are_all_found():
    import math

    forms = {"Aleppo": "place"}
    matcher = NameMatcher(forms)
    names = [f"Kafr {a}{b}" for a in "BCDFGHJKLM" for b in ("ana", "ini", "oum", "eh", "un", "aya", "ik", "ot", "ul", "iz")]
    for name in names:
        forms[name] = "place"
        matcher.add([name])
    assert len(matcher._levels) <= math.log(len(names), 4) + 1
    text = " and ".join(names[::7]) + " near Aleppo."
    assert found(matcher, text) == found(NameMatcher(forms), text) == [(n, "place") for n in names[::7]] + [("Aleppo", "place")]
