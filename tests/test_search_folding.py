"""Folding near-duplicates in search results (search/folding.py): fold=1 in the page and the API."""
import datetime

import pytest
from bs4 import BeautifulSoup

from search.folding import fold
from search.results import Hit

pytestmark = pytest.mark.django_db

RETOLD = {
    "Mosul Dam at Risk of Collapse, US Engineers Tell Baghdad": ["Engineers Warn Mosul Dam Could Fail Within Months"],
    "Death Toll From Raqqa Airstrikes Rises to 95": ["Airstrikes on Raqqa Kill at Least 63"],
    "Yemen's Houthis Take Palace; Minister Calls It a Coup Attempt": ["Houthi Rebels Seize Presidential Palace in Sanaa"],
    "Rebels Shell Government-Held West Aleppo": [],
    "Barrel Bombs Kill 20 in Aleppo's Shaar District": [],
}


def as_hit(story):
    return Hit(story.pk, story.get_absolute_url(), story.headline, story.digest.date, "", [], [], [])


def test_fold_puts_each_near_duplicate_under_the_first_of_its_event(near_duplicate_digests):
    first, following = near_duplicate_digests
    hits = [as_hit(s) for s in [*following.stories.order_by("position"), *first.stories.order_by("position")]]
    folded = fold(hits)
    assert {entry.hit.headline: [h.headline for h in entry.similar] for entry in folded} == RETOLD
    assert [entry.hit.headline for entry in folded][:4] == [s.headline for s in following.stories.order_by("position")]


def test_fold_leaves_alone_a_duplicate_that_is_not_on_the_page(near_duplicate_digests):
    first, following = near_duplicate_digests
    hits = [as_hit(s) for s in following.stories.order_by("position")]
    assert [(entry.hit.headline, entry.similar) for entry in fold(hits)] == [(h.headline, []) for h in hits]


def test_api_folds_results_and_keeps_the_total(client, near_duplicate_digests):
    body = client.get("/api/search/?fold=1").json()
    assert (body["fold"], body["total"], body["pages"], len(body["results"])) == (True, 8, 1, 5)
    assert {r["headline"]: [s["headline"] for s in r["similar"]] for r in body["results"]} == RETOLD
    similar = next(r for r in body["results"] if r["headline"].startswith("Death Toll"))["similar"][0]
    assert set(similar) == {"id", "url", "headline", "digest_date"} and similar["digest_date"] == "2015-01-20"
    assert sum(v["count"] for v in body["facets"]["month"]) == 8


def test_api_without_fold_lists_every_story_and_no_similar(client, near_duplicate_digests):
    body = client.get("/api/search/?fold=0").json()
    assert (body["fold"], body["total"], len(body["results"])) == (False, 8, 8)
    assert all("similar" not in r for r in body["results"])


def test_a_query_folds_only_the_stories_it_matches(client, near_duplicate_digests):
    body = client.get("/api/search/?q=Raqqa&fold=1").json()
    assert body["total"] == 2
    # Whichever ranks first leads; the other is folded under it.
    (entry,) = body["results"]
    assert sorted([entry["headline"], *(s["headline"] for s in entry["similar"])]) == [
        "Airstrikes on Raqqa Kill at Least 63", "Death Toll From Raqqa Airstrikes Rises to 95"]


def test_page_shows_n_similar_under_a_hit_and_keeps_fold_in_every_link(client, near_duplicate_digests):
    soup = BeautifulSoup(client.get("/search/?fold=1").content, "html.parser")
    assert soup.select_one("#search-summary").get_text(" ", strip=True) == "8 stories"
    assert len(soup.select(".hits > .hit")) == 5
    hit = next(h for h in soup.select(".hits > .hit") if h.h3.get_text(strip=True).startswith("Death Toll"))
    assert hit.select_one(".hit-similar summary").get_text(strip=True) == "1 similar"
    assert [a.get_text(strip=True) for a in hit.select(".hit-similar a")] == ["Airstrikes on Raqqa Kill at Least 63"]
    assert "still count every story" in soup.select_one(".search-fold-note").get_text()
    toggle = soup.select_one(".search-fold a")
    assert (toggle.get_text(strip=True), toggle["href"]) == ("Show every story", "/search/")
    assert soup.select_one("form.search-form input[name=fold]")["value"] == "1"
    links = [a["href"] for a in soup.select(".search-facets a[href^='/search/?'], .hit-entities a.chip")]
    assert links and all("fold=1" in href for href in links)


def test_page_without_fold_offers_the_toggle(client, near_duplicate_digests):
    soup = BeautifulSoup(client.get("/search/").content, "html.parser")
    assert len(soup.select(".hits > .hit")) == 8 and soup.select(".hit-similar") == []
    toggle = soup.select_one(".search-fold a")
    assert (toggle.get_text(strip=True), toggle["href"]) == ("Fold similar stories", "/search/?fold=1")
    assert soup.select(".search-fold-note") == [] and soup.select("form.search-form input[name=fold]") == []


def test_a_fold_value_that_is_not_0_or_1_is_refused(client, near_duplicate_digests):
    response = client.get("/api/search/?fold=yes")
    assert response.status_code == 400
    assert response.json() == {"error": "“yes” is not a fold setting; use fold=1 to fold similar stories, fold=0 not to."}
