"""search.params: the query string is the search state, read strictly and written back canonically."""
import datetime

import pytest
from django.http import QueryDict

from search.params import (
    MAX_PAGE,
    MAX_QUERY_CHARS,
    check_address_encoding,
    check_query_syntax,
    parse_params,
    query_string,
)
from search.results import SearchError, SearchParams


def parse(query: str) -> SearchParams:
    return parse_params(QueryDict(query))


def test_empty_query_string_browses_everything_newest_first():
    assert parse("") == SearchParams(q="", sort="newest", page=1)


def test_every_parameter_is_read():
    params = parse(
        "q=safe+zones&place=Aleppo&place=Deir+ez-Zor&actor=Bashar+al-Assad&source=AFP"
        "&not_place=Raqqa&not_actor=U.N.&not_source=BBC&from=2014-11-01&to=2014-12-31&sort=oldest&page=3"
    )
    assert params == SearchParams(
        q="safe zones",
        place=["Aleppo", "Deir ez-Zor"],
        actor=["Bashar al-Assad"],
        source=["AFP"],
        not_place=["Raqqa"],
        not_actor=["U.N."],
        not_source=["BBC"],
        date_from=datetime.date(2014, 11, 1),
        date_to=datetime.date(2014, 12, 31),
        sort="oldest",
        page=3,
    )


def test_a_query_ranks_by_relevance_unless_told_otherwise():
    assert parse("q=Aleppo").sort == "relevance"
    assert parse("q=Aleppo&sort=newest").sort == "newest"


def test_empty_form_fields_mean_absent():
    assert parse("q=&from=&to=&sort=&page=&place=") == SearchParams(sort="newest")


def test_whitespace_is_collapsed_and_repeated_values_kept_once():
    params = parse("q=%20+safe%09zones++&place=Aleppo&place=%20Aleppo%20&actor=Bashar++al-Assad")
    assert (params.q, params.place, params.actor) == ("safe zones", ["Aleppo"], ["Bashar al-Assad"])


def test_unknown_facet_values_and_unknown_parameters_are_not_errors():
    params = parse("place=Atlantis&utm_source=mail&expand=place")
    assert params.place == ["Atlantis"]


def test_values_keep_hyphens_dots_apostrophes_and_accents():
    params = parse("actor=People%27s+Protection+Units&actor=Fran%C3%A7ois+Hollande&actor=U.N.&place=Deir+ez-Zor")
    assert params.actor == ["People's Protection Units", "François Hollande", "U.N."]
    assert params.place == ["Deir ez-Zor"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("from=2014-02-30", "“2014-02-30” is not a date; write the “from” date as YYYY-MM-DD."),
        ("to=yesterday", "“yesterday” is not a date; write the “to” date as YYYY-MM-DD."),
        ("from=20141101", "“20141101” is not a date; write the “from” date as YYYY-MM-DD."),
        ("from=2014-12-01&to=2014-11-01", "The date range starts (2014-12-01) after it ends (2014-11-01)."),
        ("sort=best", "“best” is not a sort order; use one of: relevance, newest, oldest."),
        ("page=0", "“0” is not a page number; pages are counted from 1."),
        ("page=-2", "“-2” is not a page number; pages are counted from 1."),
        ("page=two", "“two” is not a page number; pages are counted from 1."),
        ("page=%D9%A3", "“٣” is not a page number; pages are counted from 1."),
        ("page=99999", "Page 99999 is too far; at most 1,000 pages can be shown. Narrow the search instead."),
        ("page=" + "9" * 5000, f"Page {'9' * 40}… is too far; at most 1,000 pages can be shown. Narrow the search instead."),
        ("q=" + "a" * 10_000, "The query is 10,000 characters long; the limit is 500."),
        ("q=%FF%FEAleppo", "The query in the address is not valid UTF-8 text."),
        ("place=Alep%E9", "The place in the address is not valid UTF-8 text."),
        ("q=Aleppo%00", "The query contains control characters."),
        ("not_actor=%1BISIS", "The not actor contains control characters."),
        ("place=Aleppo&not_place=Aleppo", "“Aleppo” is both selected and excluded as a place; choose one."),
        ("place=" + "x" * 201, "A place value is 201 characters long; the limit is 200."),
        ("&".join(f"source=S{i}" for i in range(21)), "At most 20 source values can be given at once."),
    ],
)
def test_bad_values_are_refused_with_a_reason(query, message):
    with pytest.raises(SearchError) as error:
        parse(query)
    assert str(error.value) == message


def test_limits_themselves_are_accepted():
    assert parse(f"page={MAX_PAGE}").page == MAX_PAGE
    assert len(parse("q=" + "a" * MAX_QUERY_CHARS).q) == MAX_QUERY_CHARS


@pytest.mark.parametrize(
    "q, message",
    [
        ('"safe zones', 'The query has an unmatched double quote ("): close the phrase or remove the quote.'),
        ('Aleppo "safe" zones"', 'The query has an unmatched double quote ("): close the phrase or remove the quote.'),
        ("AND", "“AND” needs a word before it, as in: Aleppo AND Idlib."),
        ("OR Aleppo", "“OR” needs a word before it, as in: Aleppo OR Idlib."),
        ("Aleppo AND", "“AND” needs a word after it, as in: Aleppo AND Idlib."),
        ("Aleppo AND OR Idlib", "“AND” needs a word after it, as in: Aleppo AND Idlib."),
        ("(AND Aleppo)", "“AND” needs a word before it, as in: Aleppo AND Idlib."),
        ("NOT", "“NOT” needs a word after it, as in: Aleppo NOT Idlib."),
        ("Aleppo NOT", "“NOT” needs a word after it, as in: Aleppo NOT Idlib."),
        ("*", "A lone * cannot be searched; leave the query empty to browse every story."),
        ("headline:*", "A lone * cannot be searched; leave the query empty to browse every story."),
        ("*ppo", "“*ppo”: put at least 2 letters before a wildcard, as in Al*; it cannot start a word."),
        ("?leppo", "“?leppo”: put at least 2 letters before a wildcard, as in Al*; it cannot start a word."),
        ("A*", "“A*”: put at least 2 letters before a wildcard, as in Al*; it cannot start a word."),
        ("headline:?aqqa", "“?aqqa”: put at least 2 letters before a wildcard, as in Al*; it cannot start a word."),
        ("(Aleppo OR Idlib", "The query opens a bracket “(” that is never closed."),
        ("Aleppo) OR (Idlib", "The query closes a bracket “)” that was never opened."),
    ],
)
def test_queries_no_engine_can_read_are_refused(q, message):
    with pytest.raises(SearchError) as error:
        check_query_syntax(q)
    assert str(error.value) == message


@pytest.mark.parametrize(
    "q",
    [
        "Aleppo",
        '"safe zones" Aleppo',
        'headline:"safe zones"',
        "Assad AND Russia",
        "(Aleppo OR Idlib) AND NOT Raqqa",
        "Aleppo NOT Idlib",
        "Kurd*",
        "Al*po",
        "Aleppo?",
        "headline:Raqqa",
        "and or not",  # lower case: words, not operators
        '"* AND"',  # inside a phrase nothing is an operator or a wildcard
        "Deir ez-Zor U.N. People's",
    ],
)
def test_the_documented_syntax_passes(q):
    check_query_syntax(q)


def test_query_string_is_canonical_and_round_trips():
    query = "page=2&sort=oldest&not_source=BBC&place=Deir+ez-Zor&q=Assad&actor=Fran%C3%A7ois+Hollande&from=2014-11-01"
    params = parse(query)
    canonical = query_string(params)
    assert canonical == (
        "q=Assad&place=Deir+ez-Zor&actor=Fran%C3%A7ois+Hollande&not_source=BBC&from=2014-11-01&sort=oldest&page=2"
    )
    assert parse(canonical) == params


def test_default_sort_and_first_page_are_left_out():
    assert query_string(parse("q=Aleppo&sort=relevance&page=1")) == "q=Aleppo"
    assert query_string(parse("sort=newest")) == ""
    assert query_string(parse("sort=relevance")) == "sort=relevance"


def test_a_change_goes_back_to_the_first_page_unless_it_is_the_page():
    params = parse("q=Aleppo&page=4")
    assert query_string(params, place=["Aleppo"]) == "q=Aleppo&place=Aleppo"
    assert query_string(params, page=5) == "q=Aleppo&page=5"
    assert query_string(params) == "q=Aleppo&page=4"


def test_raw_bytes_in_the_address_must_be_utf8():
    check_address_encoding("q=" + "Ḥomṣ".encode().decode("latin-1"))  # UTF-8 bytes, as WSGI hands them over
    check_address_encoding("q=Deir+ez-Zor&place=%C3%A9")
    with pytest.raises(SearchError) as error:
        check_address_encoding("q=Alep\xffpo")
    assert str(error.value) == "The address contains bytes that are not valid UTF-8 text."
