"""GET /search/feed.atom: any search as Atom 1.0, its 50 newest matches newest first."""
import datetime
import xml.etree.ElementTree as ET

import pytest

from digest.models import Digest, Story
from search.indexing import update_stories

FEED = "/search/feed.atom"
ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, query=""):
    response = client.get(f"{FEED}?{query}" if query else FEED)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return ET.fromstring(response.content)


def entries(root):
    return root.findall(f"{ATOM}entry")


def test_a_search_feed_lists_its_matches_newest_first_with_everything_an_entry_needs(client, search_archive):
    root = feed(client, "q=Raqqa")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "News Digest Archive: “Raqqa”"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/search/?q=Raqqa&sort=newest"
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/search/feed.atom?q=Raqqa"
    api = client.get("/api/search/?q=Raqqa&sort=newest").json()
    found = entries(root)
    assert [e.findtext(f"{ATOM}title") for e in found] == [hit["headline"] for hit in api["results"]]
    dates = [e.findtext(f"{ATOM}updated") for e in found]
    assert dates == sorted(dates, reverse=True)
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    entry = next(e for e in found if e.findtext(f"{ATOM}title") == story.headline)
    url = f"http://testserver{story.get_absolute_url()}"
    assert entry.find(f"{ATOM}link").get("href") == url
    assert entry.findtext(f"{ATOM}id") == url
    assert entry.findtext(f"{ATOM}published") == entry.findtext(f"{ATOM}updated") == "2014-11-18T00:00:00+00:00"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<mark>Raqqa</mark>" in summary.text
    assert [(c.get("term"), c.get("label"), c.get("scheme")) for c in entry.findall(f"{ATOM}category")] == [
        ("Raqqa", "Place: Raqqa", "http://testserver/search/?place="),
        ("ISIS", "Actor: ISIS", "http://testserver/search/?actor="),
        ("Syrian Observatory for Human Rights", "Actor: Syrian Observatory for Human Rights",
         "http://testserver/search/?actor="),
        ("BBC", "Source: BBC", "http://testserver/search/?source="),
        ("Reuters", "Source: Reuters", "http://testserver/search/?source="),
    ]


def test_the_feed_has_the_50_newest_whatever_the_searchs_sort(client, search_archive):
    digest = Digest.objects.get(date="2015-02-17")
    stories = [Story.objects.create(digest=digest, position=100 + i, headline=f"Idlib report number {i}",
                                    body="Idlib.", slug=f"idlib-{i}") for i in range(55)]
    update_stories([story.pk for story in stories])
    newer = Digest.objects.create(date=datetime.date(2015, 3, 1), title="March", file_name="m.txt", sha256="m" * 64,
                                  source_text="x")
    newest = Story.objects.create(digest=newer, position=1, headline="Newest Idlib story", body="Idlib.", slug="n")
    update_stories([newest.pk])
    found = entries(feed(client, "q=Idlib&sort=oldest&page=2"))
    assert len(found) == 50
    assert found[0].findtext(f"{ATOM}title") == "Newest Idlib story"
    assert {e.findtext(f"{ATOM}updated") for e in found[1:]} == {"2015-02-17T00:00:00+00:00"}


def test_a_feed_of_nothing_is_a_valid_empty_feed(client, search_archive):
    root = feed(client, "q=zzzznothing&place=Aleppo")
    assert entries(root) == []
    assert root.findtext(f"{ATOM}title") == "News Digest Archive: “zzzznothing”, place Aleppo"


def test_a_bad_search_is_a_400_in_words(client, search_archive):
    response = client.get(f"{FEED}?from=someday")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "“someday” is not a date; write the “from” date as YYYY-MM-DD."


@pytest.mark.private
def test_on_a_private_archive_the_search_feed_needs_a_login(client, search_archive):
    response = client.get(f"{FEED}?q=Raqqa")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_search_page_links_its_csv_and_feed_with_its_parameters_but_not_its_page(client, search_archive):
    html = client.get("/search/?q=Syria&place=Aleppo&sort=oldest&page=1").content.decode()
    assert 'href="/api/search/export.csv?q=Syria&amp;place=Aleppo&amp;sort=oldest"' in html
    assert 'href="/search/feed.atom?q=Syria&amp;place=Aleppo&amp;sort=oldest"' in html
