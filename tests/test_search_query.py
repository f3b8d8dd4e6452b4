"""search.query.search and more_like_this over the fixture stories, through our Whoosh backend."""
import datetime
import re
from collections import Counter

import pytest
from haystack.query import SearchQuerySet

from search.contract import LEADING_WILDCARD, NO_SEARCHABLE_WORDS, UNREADABLE_QUERY
from search.contract import NOT_A_FIELD as NOT_A_FIELD_MESSAGE
from search.query import month_values, more_like_this, search
from search.results import FacetValue, SearchError, SearchParams
from archives import load_stories

DATA = load_stories()
FIXTURE = [dict(s, date=d["date"]) for d in DATA["digests"] for s in d["stories"]]


def facet(result, name):
    return {v.value: v.count for v in result.facets[name]}


def headlines(result):
    return [hit.headline for hit in result.hits]


def expected(kind, stories=FIXTURE):
    return dict(Counter(name for s in stories for name in s["mentions"][kind]))


def test_browsing_counts_every_value_exactly(indexed_stories):
    result = search(SearchParams())
    assert result.total == 7
    for kind in ("place", "actor", "source"):
        assert facet(result, kind) == expected(kind)
    assert [(v.value, v.count) for v in result.facets["month"]] == [("2014-11", 3), ("2014-12", 2), ("2015-02", 2)]


def test_values_are_listed_by_count_then_name(indexed_stories):
    places = [(v.value, v.count) for v in search(SearchParams()).facets["place"]]
    assert places == [("Aleppo", 4), ("Deir ez-Zor", 2), ("Ma'arrat al-Nu'man", 1), ("St. Petersburg", 1),
                      ("Şanlıurfa", 1)]


@pytest.mark.parametrize("kind, value", [
    ("place", "Deir ez-Zor"), ("place", "Ma'arrat al-Nu'man"), ("place", "Şanlıurfa"), ("place", "St. Petersburg"),
    ("actor", "U.N. Security Council"), ("actor", "Bashar al-Assad"), ("source", "L'Orient-Le Jour"),
    ("source", "U.S. News"),
])
def test_selecting_any_value_selects_exactly_its_stories(indexed_stories, kind, value):
    result = search(SearchParams(**{kind: [value]}))
    chosen = [s for s in FIXTURE if value in s["mentions"][kind]]
    assert sorted(headlines(result)) == sorted(s["headline"] for s in chosen)
    assert result.total == len(chosen)
    selected = [v for v in result.facets[kind] if v.selected]
    assert [(v.value, v.count) for v in selected] == [(value, len(chosen))]
    assert facet(result, "source") == expected("source", chosen)


def test_two_values_combine_with_and(indexed_stories):
    result = search(SearchParams(place=["Aleppo"], actor=["Bashar al-Assad"]))
    assert sorted(headlines(result)) == ["Assad Rejects Talks Proposal", "Envoy Proposes Freeze in Aleppo"]
    assert facet(result, "source") == {"AFP": 2, "Reuters": 1}


def test_excluding_a_value_lists_it_as_excluded(indexed_stories):
    result = search(SearchParams(not_place=["Aleppo"]))
    assert result.total == 3
    assert "Aleppo" not in headlines(result)
    aleppo = [v for v in result.facets["place"] if v.value == "Aleppo"]
    assert [(v.count, v.selected, v.excluded) for v in aleppo] == [(0, False, True)]


def test_a_selected_value_outside_the_counted_values_is_still_listed(indexed_stories):
    result = search(SearchParams(place=["Nowhere"]))
    assert result.total == 0
    assert [(v.value, v.count, v.selected) for v in result.facets["place"]] == [("Nowhere", 0, True)]


def test_text_query_counts_only_its_stories(indexed_stories):
    result = search(SearchParams(q="aleppo"))
    containing = [s for s in FIXTURE if "aleppo" in (s["headline"] + " " + s["body"]).lower()]
    assert result.total == len(containing) == 4
    assert facet(result, "place") == expected("place", containing)


def test_headline_outranks_body(indexed_stories):
    assert headlines(search(SearchParams(q="freeze")))[0] == "Envoy Proposes Freeze in Aleppo"
    assert headlines(search(SearchParams(q="convoys")))[0] == "Security Council Debates Aid Convoys"


def test_accents_and_case_do_not_matter(indexed_stories):
    assert headlines(search(SearchParams(q="sanliurfa"))) == ["Refugees Cross Into Şanlıurfa"]


def test_two_word_phrase_is_exact(indexed_stories):
    assert search(SearchParams(q='"free army"')).total == 1
    assert headlines(search(SearchParams(q='"syrian army"'))) != []
    assert sorted(headlines(search(SearchParams(q='"free syrian"')))) == sorted(
        s["headline"] for s in FIXTURE if "free syrian" in s["body"].lower())


def test_longer_phrase_needs_consecutive_words(indexed_stories):
    # The last story has "Syrian army" and "free army" but never "Free Syrian Army".
    result = search(SearchParams(q='"free syrian army"'))
    assert sorted(headlines(result)) == sorted(s["headline"] for s in FIXTURE if "Free Syrian Army" in s["body"])
    assert result.total == 3


def test_hyphenated_name_in_the_query_is_a_phrase(indexed_stories):
    assert sorted(headlines(search(SearchParams(q="al-Assad")))) == [
        "Assad Rejects Talks Proposal", "Envoy Proposes Freeze in Aleppo"]


def test_operators_prefix_and_field(indexed_stories):
    assert search(SearchParams(q="aleppo NOT refugees")).total == 3
    assert search(SearchParams(q="aleppo OR petersburg")).total == 4
    assert search(SearchParams(q="refug*")).total == 1
    assert headlines(search(SearchParams(q="headline:assad"))) == ["Assad Rejects Talks Proposal"]


def test_date_range(indexed_stories):
    result = search(SearchParams(date_from=datetime.date(2014, 12, 1), date_to=datetime.date(2014, 12, 31)))
    assert sorted(headlines(result)) == ["Rebels Retake Ma'arrat al-Nu'man Checkpoints",
                                         "Security Council Debates Aid Convoys"]
    assert [(v.value, v.count) for v in result.facets["month"]] == [("2014-12", 2)]


def test_sort_newest_and_oldest(indexed_stories):
    newest = search(SearchParams(sort="newest"))
    assert [h.digest_date for h in newest.hits] == sorted((h.digest_date for h in newest.hits), reverse=True)
    assert newest.hits[0].digest_date == datetime.date(2015, 2, 10)
    oldest = search(SearchParams(sort="oldest"))
    assert oldest.hits[0].digest_date == datetime.date(2014, 11, 18)
    assert [h.id for h in oldest.hits] != [h.id for h in newest.hits]


def test_pagination(indexed_stories):
    first = search(SearchParams(sort="newest", per_page=3))
    third = search(SearchParams(sort="newest", per_page=3, page=3))
    assert (first.total, first.pages, len(first.hits), len(third.hits)) == (7, 3, 3, 1)
    everything = search(SearchParams(sort="newest", per_page=10))
    assert [h.id for h in everything.hits][6:] == [h.id for h in third.hits]
    assert search(SearchParams(page=99999)).hits == []


def test_highlighted_snippet_is_escaped_with_marks(indexed_stories):
    hit = search(SearchParams(q="Nu'man")).hits[0]
    assert hit.snippet == ("…retook two checkpoints near Ma&#x27;arrat al-<mark>Nu</mark>&#x27;<mark>man</mark>, "
                           "Reuters reports.\n\nGovernment forces shelled the town overnight.")
    hit = search(SearchParams(q="checkpoints")).hits[0]
    assert hit.snippet.startswith("The Free Syrian Army retook two <mark>checkpoints</mark> near Ma&#x27;arrat")


def test_hit_carries_its_entities_and_address(indexed_stories):
    hit = search(SearchParams(q="petersburg")).hits[0]
    story = indexed_stories[hit.headline]
    assert hit.url == story.get_absolute_url()
    assert (hit.places, hit.actors, hit.sources) == (
        ["Aleppo", "Deir ez-Zor", "St. Petersburg"], ["U.N. Security Council"], ["U.S. News"])


def test_did_you_mean(indexed_stories):
    assert search(SearchParams(q="aleppp")).suggestion == "aleppo"
    assert search(SearchParams(q="aleppo")).suggestion is None
    assert search(SearchParams(q='"free syrain army" AND aleppo')).suggestion == '"free syrian army" AND aleppo'


def test_more_like_this(indexed_stories):
    story = indexed_stories["Rebels Retake Ma'arrat al-Nu'man Checkpoints"]
    similar = more_like_this(story, limit=3)
    assert story.pk not in [h.id for h in similar]
    assert similar[0].headline in {"Government Airstrikes Hit Deir ez-Zor", "Assad Rejects Talks Proposal"}


@pytest.mark.parametrize("q", ["the of and", "*leppo", "?leppo", " ".join(f"w{i}" for i in range(80))])
def test_queries_that_cannot_run_explain_why(indexed_stories, q):
    with pytest.raises(SearchError):
        search(SearchParams(q=q))


def test_a_prefix_matching_too_many_words_is_refused(indexed_stories, monkeypatch):
    monkeypatch.setattr("search.whoosh.evaluate.MAX_EXPANSION", 2)
    with pytest.raises(SearchError, match="too many words"):
        search(SearchParams(q="a*"))
    assert search(SearchParams(q="alep*")).total == 4


NO_WORDS = "The query has no searchable words (only very common words or punctuation)."
NOT_A_FIELD = "“{}:” cannot be searched; use words, \"phrases\" or headline:."


@pytest.mark.parametrize("q, answer", [
    # Past search.params (which refuses most of these first), the engine answers or refuses, never fails.
    ('"unbalanced', 0), ("AND", NO_WORDS), ("OR aleppo", 4), ("aleppo NOT", 4), ("(((", NO_WORDS), ("*", 7),
    ("é\x00ü", NO_WORDS), ("django_id:5", NOT_A_FIELD.format("django_id")),
    ("body:aleppo", NOT_A_FIELD.format("body")), ("fingerprint:x", NOT_A_FIELD.format("fingerprint")),
    ("text:[a TO c]", 7), ("aleppo~2", 4), ("aleppo^3", 4), ('"aleppo army"~2', 0),
    ("NOT NOT aleppo", "The query could not be understood; check its quotes, brackets and operators."),
    ("a:b:c", NO_WORDS), ("place_exact:Aleppo", 4), ("digest_date:2014-11-18", 3), ("headline:", 0),
    ("x" * 10_000, 0),
])
def test_broken_queries_get_whooshs_exact_answers(indexed_stories, q, answer):
    try:
        outcome = search(SearchParams(q=q)).total
    except SearchError as refused:
        outcome = str(refused)
    assert outcome == answer


CONTRACT_REFUSALS = re.compile("|".join(re.escape(m).replace(r"\{name\}", ".+").replace(r"\{word\}", ".+")
                                        for m in (NO_SEARCHABLE_WORDS, NOT_A_FIELD_MESSAGE, UNREADABLE_QUERY,
                                                  LEADING_WILDCARD.replace("{letters}", "2"))))


@pytest.mark.parametrize("q", ['"unbalanced', "AND", "(((", "é\x00ü", "django_id:5", "body:aleppo", "fingerprint:x",
                               "text:[a TO c]", "aleppo~2", '"aleppo army"~2', "NOT NOT aleppo", "a:b:c", "*ppo"])
def test_broken_queries_are_answered_or_refused_by_the_contract_on_any_engine(indexed_stories, q):
    try:
        result = search(SearchParams(q=q, per_page=5))
    except SearchError as refused:
        assert CONTRACT_REFUSALS.fullmatch(str(refused)), str(refused)
        return
    assert 0 <= result.total <= 7  # the fixture's stories
    assert len(result.hits) == min(result.total, 5)


def test_month_values_are_months_whatever_shape_the_engine_returns():
    counted = [("2014", 7), ("11", 3), ("2014-11", 3), ("2014-12-01T00:00:00Z", 2), ("2014-12-31", 1),
               ("2014-13", 4), ("0000-01", 1), ("Nov 2014", 1), ("", 1)]
    assert month_values(counted) == [FacetValue("2014-11", 3), FacetValue("2014-12", 3)]


def test_page_and_api_stand_month_fragments_from_an_engine(client, indexed_stories, monkeypatch):
    """Haystack's stock Whoosh backend returns analysed fragments of the month ("2014", "11")."""
    counts = SearchQuerySet.facet_counts

    def stock_shaped(sqs):
        real = counts(sqs)
        return {**real, "fields": {**real["fields"], "month": [("2014", 5), ("11", 3), ("12", 2), ("2015", 2),
                                                               ("02", 2), ("2015-02-01T00:00:00Z", 2)]}}

    monkeypatch.setattr(SearchQuerySet, "facet_counts", stock_shaped)
    page = client.get("/search/", {"q": "Aleppo"})
    assert page.status_code == 200
    assert "Feb 2015" in page.content.decode()
    api = client.get("/api/search/", {"q": "Aleppo"}).json()
    assert [(v["value"], v["count"]) for v in api["facets"]["month"]] == [("2015-02", 2)]
