"""GET /api/search/: the JSON contract, exact counts on the fixture archive, and a 400 for every bad request."""
from urllib.parse import urlencode

import pytest
from haystack import connections
from archives import expected_counts, fixture_stories, load_archive

API = "/api/search/"
STORIES = fixture_stories(load_archive())


def get(client, query=""):
    response = client.get(f"{API}?{query}" if query else API)
    assert response["Content-Type"] == "application/json"
    return response


def ok(client, query=""):
    response = get(client, query)
    assert response.status_code == 200, response.content
    return response.json()


def counts(data, kind):
    return {v["value"]: v["count"] for v in data["facets"][kind]}


def matching(predicate):
    return [story for story in STORIES if predicate(story)]


def test_an_empty_archive_answers_with_no_stories(client, db):
    connections["default"].get_backend().clear()
    for query in ("", "q=Aleppo"):
        data = ok(client, query)
        assert (data["total"], data["results"], data["suggestion"]) == (0, [], None)
        assert data["facets"] == {"place": [], "actor": [], "source": [], "month": []}
    selected = ok(client, "place=Aleppo")["facets"]["place"]
    assert selected == [{"value": "Aleppo", "count": 0, "selected": True, "excluded": False}]


def test_the_response_has_the_contract_keys(client, search_archive):
    data = ok(client, "q=Raqqa")
    assert set(data) >= {"query", "total", "page", "pages", "results", "facets", "suggestion"}
    assert set(data["facets"]) == {"place", "actor", "source", "month"}
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    hit = next(r for r in data["results"] if r["id"] == story.pk)
    assert {k: hit[k] for k in ("id", "url", "headline", "digest_date", "places", "actors", "sources")} == {
        "id": story.pk,
        "url": story.get_absolute_url(),
        "headline": story.headline,
        "digest_date": "2014-11-18",
        "places": ["Raqqa"],
        "actors": ["ISIS", "Syrian Observatory for Human Rights"],
        "sources": ["BBC", "Reuters"],
    }
    assert "<mark>Raqqa</mark>" in hit["snippet"]
    assert set(data["facets"]["place"][0]) >= {"value", "count", "selected"}
    assert set(data["facets"]["actor"][0]) >= {"value", "count", "selected", "type"}
    assert set(data["facets"]["month"][0]) >= {"value", "count"}


def test_browsing_everything_counts_every_facet_value_exactly(client, search_archive):
    data = ok(client)
    assert (data["query"], data["total"], data["page"], data["pages"]) == ("", 22, 1, 2)
    assert len(data["results"]) == 20
    for kind in ("place", "actor", "source"):
        assert counts(data, kind) == expected_counts(STORIES, kind)
    assert data["facets"]["month"] == [
        {"value": "2014-11", "count": 3, "selected": False},
        {"value": "2014-12", "count": 9, "selected": False},
        {"value": "2015-02", "count": 10, "selected": False},
    ]
    assert data["suggestion"] is None


def test_browsing_lists_newest_first_and_the_second_page_holds_the_rest(client, search_archive):
    first = ok(client)
    second = ok(client, "page=2")
    assert [r["digest_date"] for r in first["results"]][:10] == ["2015-02-17"] * 10
    assert [r["digest_date"] for r in second["results"]] == ["2014-11-18"] * 2
    ids = [r["id"] for r in first["results"] + second["results"]]
    assert sorted(ids) == sorted(s.pk for s in search_archive.values())


def test_actor_types_come_from_the_entities(client, search_archive):
    types = {v["value"]: v["type"] for v in ok(client)["facets"]["actor"]}
    assert types["ISIS"] == "Armed group"
    assert types["U.N."] == "International body"
    assert types["Bashar al-Assad"] == "Person"
    assert types["Syrian Observatory for Human Rights"] == "Organization"


@pytest.mark.parametrize(
    "kind, value",
    [
        ("actor", "Bashar al-Assad"),
        ("place", "Deir ez-Zor"),
        ("actor", "U.N."),
        ("actor", "People's Protection Units"),
        ("actor", "François Hollande"),
        ("source", "Al-Monitor"),
    ],
)
def test_selecting_any_value_selects_exactly_its_stories(client, search_archive, kind, value):
    data = ok(client, urlencode({kind: value}))
    expected = matching(lambda s: value in s["mentions"][kind])
    assert data["total"] == len(expected)
    assert sorted(r["headline"] for r in data["results"]) == sorted(s["headline"] for s in expected)
    selected = [v for v in data["facets"][kind] if v["selected"]]
    assert [(v["value"], v["count"]) for v in selected] == [(value, len(expected))]
    for facet in ("place", "actor", "source"):
        assert counts(data, facet) == expected_counts(expected, facet)


def test_two_values_narrow_together(client, search_archive):
    data = ok(client, "place=Aleppo&actor=Staffan+de+Mistura")
    assert data["total"] == 3
    assert sorted(r["headline"] for r in data["results"]) == [
        "Assad Says Aleppo Freeze Is Worth Studying",
        "De Mistura Presses Aleppo Freeze Plan in Damascus",
        "Proposal for Refugee Safe Zones Gains Traction",
    ]


def test_excluding_a_value_leaves_the_other_stories(client, search_archive):
    data = ok(client, "not_place=Aleppo&not_source=Reuters")
    expected = matching(lambda s: "Aleppo" not in s["mentions"]["place"] and "Reuters" not in s["mentions"]["source"])
    assert data["total"] == len(expected) == 10
    assert counts(data, "actor") == expected_counts(expected, "actor")
    assert "Aleppo" not in {v["value"] for v in data["facets"]["place"] if v["count"]}


def test_a_query_with_facets_counts_only_its_own_stories(client, search_archive):
    data = ok(client, "q=Aleppo&not_place=Damascus")
    assert data["query"] == "Aleppo"
    assert sorted(r["headline"] for r in data["results"]) == [
        "Assad Says Aleppo Freeze Is Worth Studying",
        "Barrel Bombs Fall on Eastern Aleppo",
        "Government Offensive North of Aleppo Stalls",
    ]
    assert counts(data, "source") == {"AFP": 1, "BBC": 1, "Reuters": 2}


def test_unknown_facet_values_select_nothing(client, search_archive):
    data = ok(client, "place=Atlantis")
    assert (data["total"], data["results"]) == (0, [])


def test_date_range_and_oldest_first(client, search_archive):
    data = ok(client, "from=2014-12-01&to=2015-01-31&sort=oldest")
    assert data["total"] == 9
    assert {r["digest_date"] for r in data["results"]} == {"2014-12-09"}
    assert data["facets"]["month"] == [{"value": "2014-12", "count": 9, "selected": False}]
    assert [r["digest_date"] for r in ok(client, "sort=oldest")["results"]][:3] == ["2014-11-18"] * 3


def test_a_month_range_marks_its_month_selected(client, search_archive):
    data = ok(client, "from=2014-11-01&to=2014-11-30")
    assert data["facets"]["month"] == [{"value": "2014-11", "count": 3, "selected": True}]


def test_did_you_mean(client, search_archive):
    data = ok(client, "q=Alepo")
    assert data["suggestion"].lower() == "aleppo"


@pytest.mark.parametrize(
    "query",
    [
        "q=%22safe+zones",  # unbalanced quote
        "q=the+and+of",  # only stop words
        "q=AND",
        "q=Aleppo+OR",
        "q=NOT",
        "q=" + "Aleppo+" * 1500,  # 10,500 characters
        "q=*",
        "q=*ppo",
        "q=%3Fleppo",
        "from=2014-13-01",
        "to=31/12/2014",
        "from=2015-01-01&to=2014-01-01",
        "page=99999",
        "page=0",
        "page=3",  # past the last of 2 pages
        "sort=random",
        "q=%FF%FE",
        "place=%C3%28",
        "q=Aleppo%07",
    ],
)
def test_hostile_requests_get_400_with_a_reason(client, search_archive, query):
    response = get(client, query)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert len(response.json()["error"]) > 10


@pytest.mark.parametrize(
    "q",
    [
        "Aleppo?", "Al*po", "Kurd*", "headline:", "headline:Raqqa", "nosuchfield:Raqqa", "[a TO z]", "{a TO z}",
        "Aleppo^2", "Aleppo~", "Aleppo~2", '""', "()", "NOT NOT Aleppo", "((((Aleppo))))", "Aleppo:", ":", "\\",
        "'", "U.S.-led", "Deir ez-Zor", "al-Assad's", "Ḥomṣ", "حلب", "x " * 200, "a*b*c*d*e*f*", "ANDNOT", "-Aleppo",
        "+Aleppo", "Aleppo AND NOT Idlib", "<script>alert(1)</script>", "%", "&", "q=", "\"Aleppo\"~3",
    ],
)
def test_odd_queries_never_fail_the_server(client, search_archive, q):
    response = get(client, urlencode({"q": q}))
    assert response.status_code in (200, 400)
    assert set(response.json()) >= ({"results", "facets"} if response.status_code == 200 else {"error"})


def test_raw_bytes_that_are_not_utf8_get_400(client, search_archive):
    response = client.get(API, QUERY_STRING="q=Alep\xffpo")
    assert response.status_code == 400
    assert response.json() == {"error": "The address contains bytes that are not valid UTF-8 text."}
    raw_utf8 = client.get(API, QUERY_STRING="q=" + "Ḥomṣ".encode().decode("latin-1"))  # as WSGI passes it
    assert (raw_utf8.status_code, raw_utf8.json()["query"]) == (200, "Ḥomṣ")


def test_past_the_last_page_says_so(client, search_archive):
    response = get(client, "page=3")
    assert response.json() == {"error": "Page 3 is past the last page of this search (2)."}


def test_more_parameters_than_django_parses_is_a_400_not_an_engine_failure(client, db):
    query = "&".join(f"place=p{n}" for n in range(1001))
    response = get(client, query)
    assert response.status_code == 400
    assert response.json()["error"].startswith("The address has more than 1,000 parameters")


def test_the_api_says_which_facet_lists_were_cut(client, search_archive, monkeypatch):
    places = expected_counts(STORIES, "place")
    full = ok(client)
    assert full["facet_lists"]["place"] == {"values": len(places), "truncated": False}
    monkeypatch.setattr("search.query.FACET_LIMIT", 2)
    cut = ok(client)
    assert cut["facet_lists"]["place"] == {"values": 2, "truncated": True}
    assert [v["value"] for v in cut["facets"]["place"]] == [v["value"] for v in full["facets"]["place"][:2]]
    last = full["facets"]["place"][-1]["value"]
    excluded = ok(client, "not_place=" + last)["facets"]["place"]
    assert excluded[-1] == {"value": last, "count": 0, "selected": False, "excluded": True}  # chosen values stay
