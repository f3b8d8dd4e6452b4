from digest.extract.matcher import NameMatcher, fold


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
