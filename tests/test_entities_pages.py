"""Entity pages and the entity index on the search page fixture archive: facts, timeline, co-occurrences, map, links."""
from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from archives import fixture_stories, load_archive
from digest.models import Alias, Entity

STORIES = fixture_stories(load_archive())


def stories_with(kind, name, other_kind=None, other_name=None):
    return [s for s in STORIES if name in s["mentions"][kind]
            and (other_kind is None or other_name in s["mentions"][other_kind])]


def soup_of(response):
    assert response.status_code == 200, response.content[:500]
    return BeautifulSoup(response.content, "html.parser")


def query_of(url):
    return parse_qs(urlsplit(url).query)


def entity(kind, name):
    return Entity.objects.get(kind=kind, name=name)


def test_an_entity_page_shows_its_facts_from_its_search(client, search_archive):
    aleppo = entity("place", "Aleppo")
    Alias.objects.create(entity=aleppo, name="Halab")
    expected = stories_with("place", "Aleppo")
    soup = soup_of(client.get(aleppo.get_absolute_url()))
    assert soup.select_one("h1").get_text() == "Aleppo"
    assert soup.select_one(".kicker").get_text(" ", strip=True) == "Place"
    assert [a.get_text() for a in soup.select(".entity-alias")] == ["Halab"]
    assert soup.select_one(".entity-stories").get_text(strip=True) == str(len(expected))
    dates = sorted(s["date"] for s in expected)
    assert soup.select_one(".entity-first")["datetime"] == dates[0]
    assert soup.select_one(".entity-last")["datetime"] == dates[-1]
    assert query_of(soup.select_one(".entity-all")["href"]) == {"place": ["Aleppo"]}
    latest = [li.select_one("a").get_text() for li in soup.select(".entity-latest-list li")]
    assert len(latest) == min(10, len(expected))
    assert set(latest) <= {s["headline"] for s in expected}


def test_the_co_occurring_lists_count_stories_with_both_and_link_to_that_search(client, search_archive):
    aleppo = entity("place", "Aleppo")
    soup = soup_of(client.get(aleppo.get_absolute_url()))
    for kind in ("place", "actor", "source"):
        expected = Counter(n for s in stories_with("place", "Aleppo") for n in s["mentions"][kind] if n != "Aleppo")
        items = soup.select(f".entity-co-group[data-kind={kind}] li")
        shown = [(li.select_one(".chip").get_text(), int(li.select_one(".entity-co-count").get_text().split()[0]))
                 for li in items]
        ranked = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:10]
        assert sorted(shown, key=lambda item: (-item[1], item[0])) == ranked
        for li in items:
            name = li.select_one(".chip").get_text()
            assert li.select_one(".chip")["href"] == entity(kind, name).get_absolute_url()
            wanted = {"place": ["Aleppo"]}
            wanted.setdefault(kind, []).append(name)
            assert query_of(li.select_one(".entity-co-count")["href"]) == wanted


def test_the_timeline_is_an_svg_with_a_title_and_a_table_of_every_month(client, search_archive):
    soup = soup_of(client.get(entity("source", "Reuters").get_absolute_url()))
    months = Counter(s["date"][:7] for s in stories_with("source", "Reuters"))
    svg = soup.select_one(".timeline-chart")
    assert svg["role"] == "img"
    assert "per month" in svg.select_one("title").get_text()
    assert [t.get_text() for t in svg.select(".timeline-bar title")] == [
        f"{label}: {months[value]}" for value, label in
        (("2014-11", "November 2014"), ("2014-12", "December 2014"), ("2015-02", "February 2015")) if months[value]]
    assert [t.get_text() for t in svg.select(".timeline-year")] == ["2015"]  # 2014 starts in November: no room
    rows = soup.select(".timeline-table tbody tr")
    assert [r.select_one("th").get_text() for r in rows] == ["2014", "2015"]
    assert [td.get_text() for td in rows[0].select("td")] == [""] * 10 + [str(months["2014-11"]), str(months["2014-12"]), str(months["2014-11"] + months["2014-12"])]
    assert [td.get_text() for td in rows[1].select("td")] == ["0", str(months["2015-02"])] + [""] * 10 + [str(months["2015-02"])]


def test_a_place_page_has_a_map_with_a_bubble_per_place_linking_to_the_narrowed_search(client, search_archive):
    # As the store records a gazetteer place (the fixture's rows have no coordinates of their own).
    Entity.objects.filter(kind="place", name="Aleppo").update(latitude=36.20124, longitude=37.16117)
    soup = soup_of(client.get(entity("place", "Aleppo").get_absolute_url()))
    svg = soup.select_one(".entity-map svg")
    assert svg.select(".place-map-land path")
    bubbles = {a["aria-label"].split(":")[0]: a for a in svg.select("a.place-map-bubble")}
    placed = {e.name for e in Entity.objects.filter(kind="place", latitude__isnull=False)}
    together = {n for s in stories_with("place", "Aleppo") for n in s["mentions"]["place"]}
    assert set(bubbles) == together & placed
    assert "is-current" in bubbles["Aleppo"]["class"]
    assert query_of(bubbles["Aleppo"]["href"]) == {"place": ["Aleppo"]}
    for name, bubble in bubbles.items():
        if name != "Aleppo":
            assert query_of(bubble["href"]) == {"place": ["Aleppo", name]}
    table = [tr.select_one("a").get_text() for tr in soup.select(".place-map-table tbody tr")]
    assert set(table) == together


def test_actor_and_source_pages_have_no_map(client, search_archive):
    soup = soup_of(client.get(entity("actor", "ISIS").get_absolute_url()))
    assert soup.select_one(".entity-map") is None
    assert "Armed group" in soup.select_one(".kicker").get_text() or entity("actor", "ISIS").actor_type == ""


def test_an_entity_no_story_mentions_says_so(client, search_archive):
    lonely = Entity.objects.create(kind="actor", name="Nobody at All", slug="nobody-at-all")
    soup = soup_of(client.get(lonely.get_absolute_url()))
    assert soup.select_one(".entity-stories").get_text(strip=True) == "0"
    assert "No stored story mentions Nobody at All" in soup.select_one(".empty").get_text()
    assert soup.select_one(".timeline-chart") is None


def test_a_wrong_slug_redirects_and_an_unknown_id_is_404(client, search_archive):
    aleppo = entity("place", "Aleppo")
    response = client.get(reverse("entities:entity", args=[aleppo.pk, "wrong"]))
    assert (response.status_code, response["Location"]) == (301, aleppo.get_absolute_url())
    assert client.get(reverse("entities:entity-short", args=[aleppo.pk])).status_code == 301
    assert client.get(reverse("entities:entity", args=[999999, "x"])).status_code == 404


def test_chips_on_story_digest_and_search_pages_link_to_entity_pages(client, search_archive):
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    raqqa = entity("place", "Raqqa")
    for url in (story.get_absolute_url(), story.digest.get_absolute_url(), "/search/?q=Raqqa"):
        soup = soup_of(client.get(url))
        pair = next(p for p in soup.select(".chip-pair") if p.select_one(".chip").get_text() == "Raqqa")
        assert pair.select_one(".chip-page")["href"] == raqqa.get_absolute_url()
        assert pair.select_one(".chip-page .visually-hidden").get_text() == "About Raqqa"
        assert urlsplit(pair.select_one(".chip")["href"]).path == "/search/"


def test_the_search_page_maps_where_its_stories_happen(client, search_archive):
    soup = soup_of(client.get("/search/?actor=ISIS"))
    where = soup.select_one(".search-where")
    assert where.select_one("h2").get_text() == "Where these stories happen"
    counts = Counter(n for s in stories_with("actor", "ISIS") for n in s["mentions"]["place"])
    placed = {e.name for e in Entity.objects.filter(kind="place", latitude__isnull=False)}
    bubbles = {a["aria-label"]: query_of(a["href"]) for a in where.select("a.place-map-bubble")}
    assert bubbles == {f"{name}: {count} stor{'y' if count == 1 else 'ies'}": {"actor": ["ISIS"], "place": [name]}
                       for name, count in counts.items() if name in placed}
    # A selected place's bubble keeps the search as it is (it does not undo the selection).
    narrowed = soup_of(client.get("/search/?actor=ISIS&place=Raqqa")).select_one(".search-where")
    raqqa = narrowed.select_one("a.place-map-bubble.is-current")
    assert raqqa["aria-label"].startswith("Raqqa:") and query_of(raqqa["href"]) == {"actor": ["ISIS"], "place": ["Raqqa"]}


# ---------------------------------------------------------------- the index

def rows_of(soup):
    return [(tr.select_one("a").get_text(), int(tr.select_one(".num").get_text())) for tr in soup.select(".entity-table tbody tr")]


def test_the_index_lists_mentioned_entities_by_stories_with_kind_tabs(client, search_archive):
    soup = soup_of(client.get("/entities/?kind=place"))
    counts = Counter(n for s in STORIES for n in s["mentions"]["place"])
    assert rows_of(soup) == sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    assert [a.get_text() for a in soup.select(".entity-tabs a")] == ["All", "Places", "Actors", "Sources"]
    assert soup.select_one(".entity-tabs .is-current").get_text() == "Places"
    by_name = soup_of(client.get("/entities/?kind=place&sort=name"))
    assert rows_of(by_name) == sorted(counts.items(), key=lambda item: item[0].casefold())


def test_the_index_filters_by_name_or_alias_and_pages(client, search_archive, monkeypatch):
    Alias.objects.create(entity=entity("place", "Aleppo"), name="Halab")
    assert [name for name, _ in rows_of(soup_of(client.get("/entities/?q=hala")))] == ["Aleppo"]
    monkeypatch.setattr("entities.params.PER_PAGE", 5)
    counts = Counter(n for s in STORIES for n in s["mentions"]["actor"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    seen, url, pages = [], "/entities/?kind=actor", 0
    while url:
        soup = soup_of(client.get(url if url.startswith("/") else "/entities/" + url))
        seen += rows_of(soup)
        pages += 1
        next_link = soup.select_one(".pager-next")
        url = next_link["href"] if next_link else ""
    assert seen == ranked
    assert pages == -(-len(ranked) // 5)


@pytest.mark.parametrize("query, message", [
    ("kind=person", "“person” is not a kind of entity"),
    ("sort=popular", "“popular” is not a sort order"),
    ("page=0", "“0” is not a page number"),
    ("page=99", "Page 99 is past the last page of this list (1)."),
])
def test_bad_index_parameters_get_400_and_a_message(client, search_archive, query, message):
    response = client.get(f"/entities/?{query}")
    assert response.status_code == 400
    assert message in BeautifulSoup(response.content, "html.parser").select_one("[role=alert]").get_text()
