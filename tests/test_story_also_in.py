"""The story page's "Also in": links to the same event in other digests (digest.duplicates.selectors)."""
import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def also_in(client, story):
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    return [(a.get_text(" ", strip=True), a["href"], a.find_next_sibling("span").get_text(strip=True))
            for a in soup.select(".also-in li a")]


def test_story_page_links_the_same_event_in_the_other_digest(client, near_duplicate_digests):
    first, following = near_duplicate_digests
    mosul = first.stories.get(headline__startswith="Engineers Warn Mosul Dam")
    retold = following.stories.get(headline__startswith="Mosul Dam at Risk")
    assert also_in(client, mosul) == [(
        "Syria Daily Digest, 21 January 2015, 21 January 2015",
        retold.get_absolute_url(),
        ": Mosul Dam at Risk of Collapse, US Engineers Tell Baghdad",
    )]
    assert also_in(client, retold)[0][1] == mosul.get_absolute_url()


def test_a_story_told_once_has_no_also_in(client, near_duplicate_digests):
    first, _ = near_duplicate_digests
    story = first.stories.get(headline__startswith="Barrel Bombs")
    soup = BeautifulSoup(client.get(story.get_absolute_url()).content, "html.parser")
    assert soup.select(".also-in") == []


def test_also_in_costs_one_query(client, near_duplicate_digests):
    first, _ = near_duplicate_digests
    story = first.stories.get(headline__startswith="Airstrikes on Raqqa")
    quiet = first.stories.get(headline__startswith="Barrel Bombs")
    # The same page with and without links: "Also in" is one query whatever it lists.
    with CaptureQueriesContext(connection) as linked:
        client.get(story.get_absolute_url())
    with CaptureQueriesContext(connection) as alone:
        client.get(quiet.get_absolute_url())
    assert len(linked) == len(alone)
    assert sum("digest_nearduplicate" in q["sql"] for q in linked.captured_queries) == 1
