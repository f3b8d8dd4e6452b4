"""/search/: the page shows the same search as the API, every link carries the whole state, bad input is explained."""
import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string

from digest.models import Story
from search.indexing import update_stories
from search.page import SearchPage
from search.results import FacetValue, Hit, SearchParams, SearchResult
from search.templatetags.search_rows import hit_entities

PAGE = "/search/"


def soup_of(client, query="", status=200):
    response = client.get(f"{PAGE}?{query}" if query else PAGE)
    assert response.status_code == status, response.content[:2000]
    return BeautifulSoup(response.content, "html.parser")


def state(url):
    """The query-string state of a link, as {name: [values]}."""
    parts = urlsplit(url)
    assert parts.path == PAGE
    return parse_qs(parts.query)


def facet_values(soup, kind):
    return {
        li.select_one(".facet-name").get_text(): int(li.select_one(".facet-count").get_text())
        for li in soup.select(f"#facet-{kind} .facet-value")
    }


def option(soup, kind, value):
    return next(li for li in soup.select(f"#facet-{kind} .facet-value") if li.select_one(".facet-name").get_text() == value)


def test_browsing_everything_shows_the_newest_twenty_and_every_facet(client, search_archive):
    soup = soup_of(client)
    assert soup.select_one("#search-summary").get_text(" ", strip=True) == "22 stories · page 1 of 2"
    hits = soup.select(".hit")
    assert len(hits) == 20
    assert hits[0].select_one("time")["datetime"] == "2015-02-17"
    assert facet_values(soup, "place")["Deir ez-Zor"] == 2
    assert facet_values(soup, "actor")["People's Protection Units"] == 2
    assert facet_values(soup, "source")["Reuters"] == 10
    assert [s.get_text(strip=True) for s in soup.select(".search-sort strong, .search-sort a")] == ["Newest", "Oldest"]


def test_the_page_shows_what_the_api_returns(client, search_archive):
    query = "q=Aleppo&not_place=Damascus"
    soup = soup_of(client, query)
    data = client.get(f"/api/search/?{query}").json()
    assert [h.select_one(".hit-headline").get_text(strip=True) for h in soup.select(".hit")] == [
        r["headline"] for r in data["results"]
    ]
    for kind in ("place", "actor", "source"):
        assert facet_values(soup, kind) == {v["value"]: v["count"] for v in data["facets"][kind]}
    bars = [a["href"] for a in soup.select("#facet-month a.bar")]
    assert len(bars) == len(data["facets"]["month"])


def test_a_facet_value_links_to_the_narrowed_search_and_shows_a_removable_chip(client, search_archive):
    soup = soup_of(client, "q=Aleppo")
    link = option(soup, "actor", "Bashar al-Assad").select_one(".facet-toggle")["href"]
    assert state(link) == {"q": ["Aleppo"], "actor": ["Bashar al-Assad"]}

    narrowed = soup_of(client, urlsplit(link).query)
    assert narrowed.select_one("#search-summary").get_text(" ", strip=True) == "2 stories"
    chip = narrowed.select_one(".search-chips .chip-actor")
    assert chip.get_text(" ", strip=True).startswith("Bashar al-Assad")
    assert state(chip["href"]) == {"q": ["Aleppo"]}
    selected = option(narrowed, "actor", "Bashar al-Assad")
    assert "is-selected" in selected["class"]
    assert state(selected.select_one(".facet-toggle")["href"]) == {"q": ["Aleppo"]}
    # A new query from the form keeps the filter.
    assert [(i["name"], i["value"]) for i in narrowed.select(".search-form input[type=hidden]")] == [
        ("actor", "Bashar al-Assad")
    ]


def test_any_value_can_be_excluded_instead(client, search_archive):
    soup = soup_of(client, "actor=U.N.")
    exclude = option(soup, "place", "Homs").select_one(".facet-exclude")["href"]
    assert state(exclude) == {"actor": ["U.N."], "not_place": ["Homs"]}

    narrowed = soup_of(client, urlsplit(exclude).query)
    assert narrowed.select_one("#search-summary").get_text(" ", strip=True) == "4 stories"
    chip = narrowed.select_one(".search-chips .chip-excluded")
    assert chip.get_text(" ", strip=True).startswith("not Homs")
    assert state(chip["href"]) == {"actor": ["U.N."]}


def test_entity_chips_of_a_hit_narrow_the_current_search(client, search_archive):
    soup = soup_of(client, "q=Kobani")
    hit = next(h for h in soup.select(".hit") if "Kurdish Fighters" in h.get_text())
    links = {a.get_text(): state(a["href"]) for a in hit.select(".hit-entities a.chip")}
    assert links["People's Protection Units"] == {"q": ["Kobani"], "actor": ["People's Protection Units"]}
    assert links["Al Jazeera"] == {"q": ["Kobani"], "source": ["Al Jazeera"]}


def test_long_facet_lists_show_the_top_values_and_a_more_link(client, search_archive):
    soup = soup_of(client)
    actors = soup.select("#facet-actor .facet-value")
    assert len(actors) == 12
    assert [li.has_attr("hidden") for li in actors] == [False] * 8 + [True] * 4
    more = soup.select_one("#facet-actor .facet-more")
    assert more.get_text(strip=True) == "4 more"
    assert more["href"] == "/search/?expand=actor#facet-actor"
    assert soup.select_one("#facet-source .facet-more") is None

    expanded = soup_of(client, "expand=actor")
    assert not any(li.has_attr("hidden") for li in expanded.select("#facet-actor .facet-value"))
    assert expanded.select_one("#facet-actor .facet-more") is None


def test_chosen_values_are_never_hidden_behind_more(client, search_archive):
    soup = soup_of(client, "not_actor=Fran%C3%A7ois+Hollande")
    actors = soup.select("#facet-actor .facet-value")
    assert len(actors) == 12
    shown = [li.select_one(".facet-name").get_text() for li in actors if not li.has_attr("hidden")]
    assert len(shown) == 9 and shown[-1] == "François Hollande"
    soup = soup_of(client, "not_place=Aleppo")
    places = {li.select_one(".facet-name").get_text(): li for li in soup.select("#facet-place .facet-value")}
    assert not places["Aleppo"].has_attr("hidden")
    assert "is-excluded" in places["Aleppo"]["class"]
    assert soup.select_one("#facet-place .facet-more").get_text(strip=True) == f"{sum(li.has_attr('hidden') for li in places.values())} more"


def test_actors_show_their_type(client, search_archive):
    soup = soup_of(client, "expand=actor")
    assert option(soup, "actor", "Jabhat al-Nusra").select_one(".facet-type").get_text() == "Armed group"
    assert option(soup, "actor", "U.N.").select_one(".facet-type").get_text() == "International body"


def test_the_month_histogram_narrows_the_date_range(client, search_archive):
    soup = soup_of(client)
    years = soup.select(".histogram-year")
    assert [y.select_one(".histogram-label").get_text() for y in years] == ["2014", "2015"]
    assert state(years[0].select_one(".histogram-label")["href"]) == {"from": ["2014-01-01"], "to": ["2014-12-31"]}
    bars = soup.select(".histogram .bar")
    assert [b.get("title") for b in bars] == [
        "Nov 2014: 3 stories", "Dec 2014: 9 stories", "Jan 2015: none", "Feb 2015: 10 stories",
    ]
    december = bars[1]
    assert state(december["href"]) == {"from": ["2014-12-01"], "to": ["2014-12-31"]}
    assert "bar-h18" in december["class"]  # 90% of the busiest month, in twentieths

    narrowed = soup_of(client, urlsplit(december["href"]).query)
    assert narrowed.select_one("#search-summary").get_text(" ", strip=True) == "9 stories"
    assert "is-selected" in narrowed.select_one(".histogram a.bar")["class"]
    assert [c.get_text(" ", strip=True)[:-len(" × (remove)")] for c in narrowed.select(".search-chips .chip")] == [
        "from 2014-12-01", "to 2014-12-31",
    ]
    assert narrowed.select_one("#search-from")["value"] == "2014-12-01"


def test_pagination_links_carry_the_state(client, search_archive):
    soup = soup_of(client, "source=Reuters&sort=oldest")
    assert soup.select(".search-pagination a") == []
    soup = soup_of(client, "sort=oldest")
    links = {a.get_text(strip=True): state(a["href"]) for a in soup.select(".search-pagination a")}
    assert links == {"2": {"sort": ["oldest"], "page": ["2"]}, "Next →": {"sort": ["oldest"], "page": ["2"]}}
    second = soup_of(client, "sort=oldest&page=2")
    assert [h.select_one("time")["datetime"] for h in second.select(".hit")] == ["2015-02-17"] * 2
    assert second.select_one(".search-pagination strong").get_text() == "2"
    assert state(second.select_one(".search-pagination a[rel=prev]")["href"]) == {"sort": ["oldest"]}


def test_snippets_are_highlighted_and_everything_else_escaped(client, search_archive):
    story = Story.objects.create(
        digest=search_archive["Homs Truce Holds for a Second Week"].digest,
        position=99,
        headline="Rebels <b>Raid</b> Homs & Hama",
        body="Fighters <script>alert(1)</script> raided Homs checkpoints.",
        slug="rebels-raid-homs",
    )
    update_stories([story.pk])
    soup = soup_of(client, "q=checkpoints")
    hit = soup.select_one(".hit")
    assert hit.select_one(".hit-headline a").get_text() == "Rebels <b>Raid</b> Homs & Hama"
    assert hit.select_one(".hit-snippet mark").get_text().lower() == "checkpoints"
    assert hit.select("script") == []


def test_did_you_mean_links_to_the_corrected_search(client, search_archive):
    soup = soup_of(client, "q=Alepo&source=Reuters")
    suggestion = soup.select_one(".search-suggestion a")
    assert suggestion.get_text().lower() == "aleppo"
    assert state(suggestion["href"]) == {"q": [suggestion.get_text()], "source": ["Reuters"]}


def test_no_results_says_so(client, search_archive):
    soup = soup_of(client, "place=Atlantis")
    assert soup.select_one("#search-summary").get_text(" ", strip=True) == "0 stories"
    assert soup.select_one(".search-results .empty").get_text(" ", strip=True) == (
        "No story matches these filters; remove one above to widen the search."
    )
    assert soup.select_one(".search-facets") is None


@pytest.mark.parametrize(
    "query, message",
    [
        ("q=%22safe+zones", 'The query has an unmatched double quote ("): close the phrase or remove the quote.'),
        ("q=Aleppo+AND", "“AND” needs a word after it, as in: Aleppo AND Idlib."),
        ("q=*", "A lone * cannot be searched; leave the query empty to browse every story."),
        ("q=" + "x" * 10_000, "The query is 10,000 characters long; the limit is 500."),
        ("from=2014-02-30", "“2014-02-30” is not a date; write the “from” date as YYYY-MM-DD."),
        ("page=99999", "Page 99999 is too far; at most 1,000 pages can be shown. Narrow the search instead."),
        ("q=%FFAleppo", "The query in the address is not valid UTF-8 text."),
    ],
)
def test_bad_requests_are_explained_on_the_page_with_status_400(client, search_archive, query, message):
    soup = soup_of(client, query, status=400)
    assert soup.select_one(".search-error p").get_text() == message
    assert soup.select_one(".search-results") is None


def test_a_refused_query_stays_in_the_box_to_be_corrected(client, search_archive):
    soup = soup_of(client, "q=%22safe+zones&from=2014-11-01", status=400)
    assert soup.select_one("#search-q")["value"] == '"safe zones'
    assert soup.select_one("#search-from")["value"] == "2014-11-01"


def test_only_common_words_are_explained(client, search_archive):
    soup = soup_of(client, "q=the+and+of", status=400)
    assert "common words" in soup.select_one(".search-error p").get_text()


def test_more_like_this_include_lists_the_stories():
    hits = [
        Hit(7, "/stories/7/aleppo/", "Barrel Bombs Fall on Eastern Aleppo", datetime.date(2014, 12, 9), "", ["Aleppo"], [], []),
        Hit(9, "/stories/9/freeze/", "Assad Says Aleppo Freeze Is Worth Studying", datetime.date(2015, 2, 17), "", [], [], []),
    ]
    soup = BeautifulSoup(render_to_string("search/more_like_this.html", {"stories": hits}), "html.parser")
    assert soup.select_one("h2").get_text() == "More like this"
    assert [(a["href"], a.get_text()) for a in soup.select("li a")] == [
        ("/stories/7/aleppo/", "Barrel Bombs Fall on Eastern Aleppo"),
        ("/stories/9/freeze/", "Assad Says Aleppo Freeze Is Worth Studying"),
    ]
    assert [t["datetime"] for t in soup.select("time")] == ["2014-12-09", "2015-02-17"]
    assert render_to_string("search/more_like_this.html", {"stories": []}).strip() == ""


def test_page_links_show_the_first_the_last_and_the_neighbours():
    params = SearchParams(q="Aleppo", page=6)
    page = SearchPage(params, SearchResult(params, 200, 6, 10, [], {}), "/search/")
    assert [(link.number, link.current) for link in page.page_links] == [
        (1, False), (None, False), (4, False), (5, False), (6, True), (7, False), (8, False), (None, False), (10, False),
    ]
    assert page.page_links[0].url == "/search/?q=Aleppo"
    assert page.page_links[-1].url == "/search/?q=Aleppo&page=10"
    assert (page.previous_url(), page.next_url()) == ("/search/?q=Aleppo&page=5", "/search/?q=Aleppo&page=7")


def test_more_parameters_than_django_parses_is_a_400_page(client, db):
    response = client.get("/search/?" + "&".join(f"q{n}=x" for n in range(1001)))
    assert response.status_code == 400
    assert "The address has more than 1,000 parameters" in response.content.decode()


def _page_with_values(params, values):
    result = SearchResult(params, 9, 1, 1, [], {"place": [FacetValue(v, 9 - n) for n, v in enumerate(values)]})
    return SearchPage(params, result, "/search/")


@pytest.mark.django_db
def test_facet_links_made_once_per_facet_are_the_links_made_one_by_one():
    values = ["Aleppo", "Deir ez-Zor", "Ra's al-'Ayn", "A&B=C", "Şanlıurfa", "x+y %20", "Homs", "Idlib"]
    for params in (SearchParams(), SearchParams(q="siege", place=["Homs"], not_place=["Idlib"], actor=["ISIS"], page=3),
                   SearchParams(place=["\x00value\x00"], sort="oldest")):  # a query holding the links' marker
        facet = _page_with_values(params, values).facets["place"]
        for value in values:
            slow_narrow = facet._url(selected=facet.selected + [value], excluded=facet._without(facet.excluded, value))
            slow_exclude = facet._url(selected=facet._without(facet.selected, value), excluded=facet.excluded + [value])
            if value not in facet.selected:
                assert facet.narrow_url(value) == slow_narrow
            if value not in facet.excluded:
                assert facet.exclude_url(value) == slow_exclude
    facet = _page_with_values(SearchParams(q="siege"), ["A&B=C"]).facets["place"]
    assert state(facet.narrow_url("A&B=C")) == {"q": ["siege"], "place": ["A&B=C"]}


@pytest.mark.django_db
def test_facet_rows_and_chips_escape_every_value():
    hostile = '<script>alert("x")</script>'
    params = SearchParams(q="siege")
    page = _page_with_values(params, [hostile, "Homs"])
    page.result.hits = [Hit(1, "/stories/1/x/", "Siege", datetime.date(2015, 1, 2), "", [hostile], [], [])]
    html = render_to_string("search/facet.html", {"facet": page.facets["place"]})
    soup = BeautifulSoup(html, "html.parser")
    assert "<script>" not in html
    row = soup.select(".facet-value")[0]
    assert row.select_one(".facet-name").get_text() == hostile
    assert state(row.select_one(".facet-toggle")["href"]) == {"q": ["siege"], "place": [hostile]}
    assert row.select_one(".facet-exclude")["title"] == f"Leave out stories mentioning {hostile}"
    chips = BeautifulSoup(hit_entities(page.hits[0]), "html.parser")
    assert "<script>" not in hit_entities(page.hits[0])
    assert chips.select_one("a.chip").get_text() == hostile
    assert state(chips.select_one("a.chip")["href"]) == {"q": ["siege"], "place": [hostile]}
