"""The browsing pages: digests by year and month, one digest, one story, and the error pages.

The archive is the seed plus the fixture digests of tests/fixtures/digests/
(15 digests, August 2013 to December 2016), ingested and indexed the way
`manage.py ingest` does it, once for the whole module.
"""
import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
import haystack

from digest import views
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Entity, Story
from search.results import SearchError

pytestmark = pytest.mark.django_db

HOME = reverse("digest:home")
FIXTURE_DATES = [
    "2013-08-22", "2013-09-10", "2013-12-18", "2014-01-22", "2014-06-04", "2014-08-20", "2014-11-26",
    "2014-12-03", "2015-03-15", "2015-05-21", "2015-10-01", "2015-11-18", "2016-02-12", "2016-07-20", "2016-12-14",
]


@pytest.fixture(scope="module")
def module_index():
    """The test run's index, emptied for this module, whose archive is indexed once."""
    haystack.connections["default"].get_backend().clear()


@pytest.fixture(scope="module")
def stored_archive(module_index, django_db_setup, django_db_blocker):
    """Every digest stored and indexed once for the module (ingesting is slow), removed afterwards.

    Tests run inside their own rolled-back transaction on top of it, so a
    test's changes never reach the next test.
    """
    fixtures = Path(__file__).parent / "fixtures"
    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_b7d1722ab27881cd.txt"
    with django_db_blocker.unblock():
        entities_before = Entity.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ingest_input(InputFile(seed.name, seed.read_bytes(), None), date=datetime.date(2014, 11, 26))
        for path in sorted((fixtures / "digests").glob("20*.*")):
            outcome = ingest_input(InputFile(path.name, path.read_bytes(), None))
            assert outcome.status == "created", (path.name, outcome.error)
        ids = list(Digest.objects.order_by("date").values_list("id", flat=True))
    yield ids
    with django_db_blocker.unblock():
        Digest.objects.filter(id__in=ids).delete()
        Entity.objects.filter(id__gt=entities_before).delete()  # the people and places ingestion discovered


@pytest.fixture
def archive(stored_archive):
    """The stored digests, oldest first."""
    digests = list(Digest.objects.filter(id__in=stored_archive).order_by("date"))
    assert [f"{d.date:%Y-%m-%d}" for d in digests] == FIXTURE_DATES
    return digests


@pytest.fixture
def seed(archive):
    return next(d for d in archive if d.date == datetime.date(2014, 11, 26))


def soup_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:3000]
    return BeautifulSoup(response.content, "html.parser")


def texts(soup, selector):
    return [element.get_text(" ", strip=True) for element in soup.select(selector)]


def query_of(url):
    return parse_qs(urlsplit(url).query)


def chips_of(story):
    """What the page should show for a story: its entities per kind, most mentioned first."""
    mentions = story.mentions.select_related("entity").order_by("-count", "entity__name")
    return {kind: [m.entity for m in mentions if m.entity.kind == kind] for kind in ("place", "actor", "source")}


# Home: digests by year and month


def test_home_groups_every_digest_by_year_and_month_newest_first(client, archive):
    soup = soup_of(client, HOME)
    assert texts(soup, ".archive-year > h2") == ["2016", "2015", "2014", "2013"]
    year_2014 = soup.select_one("section[aria-labelledby=year-2014]")
    assert texts(year_2014, ".archive-month h3") == [
        "December 2014", "November 2014", "August 2014", "June 2014", "January 2014",
    ]
    assert [t["datetime"] for t in soup.select(".digest-day time")] == FIXTURE_DATES[::-1]
    assert soup.select_one(".archive-count").get_text(strip=True) == "15 digests, August 2013 to December 2016"


def test_home_lists_each_digests_story_headlines_linking_to_the_stories(client, seed):
    soup = soup_of(client, HOME)
    row = soup.select_one(f".digest-list a.digest-title[href='{seed.get_absolute_url()}']").find_parent("li")
    assert row.select_one(".digest-count").get_text(strip=True) == "3 stories"
    assert [(a.get_text(), a["href"]) for a in row.select(".digest-headlines a")] == [
        (story.headline, story.get_absolute_url()) for story in seed.stories.all()
    ]


def test_year_jump_links_carry_each_years_digest_count(client, archive):
    soup = soup_of(client, HOME)
    links = soup.select(".jump-years a")
    assert [(a.get_text(" ", strip=True), a["href"]) for a in links] == [
        ("All 15", "/"), ("2016 3", "/?year=2016"), ("2015 4", "/?year=2015"),
        ("2014 5", "/?year=2014"), ("2013 3", "/?year=2013"),
    ]
    assert links[0]["aria-current"] == "page"
    assert soup.select(".jump-months") == []


def test_a_year_lists_only_its_digests_and_offers_its_twelve_months(client, archive):
    soup = soup_of(client, f"{HOME}?year=2014")
    assert soup.h1.get_text() == "Digests of 2014"
    assert soup.select_one(".archive-count").get_text(strip=True) == "5 digests"
    assert [t["datetime"] for t in soup.select(".digest-day time")] == [
        "2014-12-03", "2014-11-26", "2014-08-20", "2014-06-04", "2014-01-22",
    ]
    assert soup.select_one(".jump-years a[aria-current]").get_text(" ", strip=True) == "2014 5"
    assert texts(soup, ".jump-months li") == [
        "Jan 1", "Feb", "Mar", "Apr", "May", "Jun 1", "Jul", "Aug 1", "Sep", "Oct", "Nov 1", "Dec 1",
    ]
    assert [query_of(a["href"]) for a in soup.select(".jump-months a")] == [
        {"year": ["2014"], "month": [str(m)]} for m in (1, 6, 8, 11, 12)
    ]
    assert texts(soup, ".archive-year > h2") == []  # the page heading already names the year


def test_a_month_lists_only_its_digests(client, seed):
    soup = soup_of(client, f"{HOME}?year=2014&month=11")
    assert soup.h1.get_text() == "Digests of November 2014"
    assert [a["href"] for a in soup.select(".digest-list a.digest-title")] == [seed.get_absolute_url()]
    assert soup.select_one(".jump-months a[aria-current]").get_text(" ", strip=True) == "Nov 1"
    assert "is-current" in soup.select_one(".jump-years a[href='/?year=2014']")["class"]


def test_a_year_without_digests_says_so(client, archive):
    soup = soup_of(client, f"{HOME}?year=1999")
    assert " ".join(soup.select_one(".empty").get_text().split()) == "No digests in 1999. See every digest."
    assert soup.select(".digest-list") == []


@pytest.mark.parametrize(
    "query, message",
    [
        ("year=abc", "“abc” is not a year."),
        ("year=99999", "“99999” is not a year."),
        ("year=0", "“0” is not a year."),
        ("year=２０１４", "“２０１４” is not a year."),
        ("year=2014&month=13", "“13” is not a month; months go from 1 to 12."),
        ("year=2014&month=-1", "“-1” is not a month; months go from 1 to 12."),
        ("month=11", "A month needs its year, as in ?year=2014&month=11."),
    ],
)
def test_a_bad_year_or_month_is_explained_with_status_400(client, archive, query, message):
    soup = soup_of(client, f"{HOME}?{query}", status=400)
    assert soup.select_one(".notice p").get_text() == message
    assert soup.select(".digest-list") == []
    assert len(soup.select(".jump-years a")) == 5  # the way on is still offered


def test_pages_of_a_year_keep_the_year(client, archive, monkeypatch):
    monkeypatch.setattr(views, "DIGESTS_PER_PAGE", 2)
    first = soup_of(client, f"{HOME}?year=2014")
    assert first.select_one(".pagination span").get_text() == "Page 1 of 3"
    older = first.select_one(".pagination a[rel=next]")["href"]
    assert query_of(older) == {"year": ["2014"], "page": ["2"]}

    second = soup_of(client, f"{HOME}{older}")
    assert [t["datetime"] for t in second.select(".digest-day time")] == ["2014-08-20", "2014-06-04"]
    assert query_of(second.select_one(".pagination a[rel=prev]")["href"]) == {"year": ["2014"], "page": ["1"]}
    assert query_of(second.select_one(".pagination a[rel=next]")["href"]) == {"year": ["2014"], "page": ["3"]}


def test_pages_of_everything_need_no_year(client, archive, monkeypatch):
    monkeypatch.setattr(views, "DIGESTS_PER_PAGE", 10)
    soup = soup_of(client, f"{HOME}?page=2")
    assert [t["datetime"] for t in soup.select(".digest-day time")] == FIXTURE_DATES[4::-1]
    assert soup.select_one(".pagination a[rel=prev]")["href"] == "?page=1"
    # Each page opens with the year and month headings of its own digests.
    assert texts(soup, ".archive-year > h2") == ["2014", "2013"]


def test_home_costs_four_queries_however_many_digests(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get(HOME).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(f"{HOME}?year=2014&month=11").status_code == 200


def test_home_without_digests_says_how_to_add_them(client, archive):
    Digest.objects.all().delete()
    soup = soup_of(client, HOME)
    assert "No digests yet" in soup.select_one(".empty").get_text()
    assert soup.select(".jump") == []


# Digest page


def test_digest_page_shows_stories_in_order_and_reads_as_links(client, seed):
    soup = soup_of(client, seed.get_absolute_url())
    assert texts(soup, "section.story h2") == [story.headline for story in seed.stories.all()]
    assert texts(soup, ".toc a") == texts(soup, "section.story h2")
    assert texts(soup, ".byline") == ["Wednesday, 26 November 2014 · 3 stories · 6 recommended reads"]
    assert len(soup.select(".reads li")) == 6
    assert "Daily Star: Safe Zones in Syria: A Humanitarian Zone in Qusair" in texts(soup, ".reads li")


def test_a_read_with_a_url_is_a_link_and_one_without_is_text(client, seed):
    read = seed.recommended_reads.first()
    read.url = "https://example.org/moscow"
    read.save()
    soup = soup_of(client, seed.get_absolute_url())
    first, second = soup.select(".reads li")[:2]
    assert (first.a["href"], first.a.get_text()) == ("https://example.org/moscow", "Syria Looks to Moscow for Help")
    assert second.a is None
    assert second.get_text(" ", strip=True) == "Al Monitor: Kurds Vision for Syria Depends on Fate of Kobani"


def test_digest_page_links_the_digests_before_and_after_it_by_date(client, archive, seed):
    soup = soup_of(client, seed.get_absolute_url())
    earlier, later = archive[5], archive[7]
    for pager in soup.select(".pager"):
        assert pager.select_one("a[rel=prev]")["href"] == earlier.get_absolute_url()
        assert pager.select_one("a[rel=prev] time")["datetime"] == "2014-08-20"
        assert pager.select_one("a[rel=next]")["href"] == later.get_absolute_url()
        assert pager.select_one("a[rel=next] time")["datetime"] == "2014-12-03"
        assert query_of(pager.select_one(".pager-up")["href"]) == {"year": ["2014"], "month": ["11"]}
    assert len(soup.select(".pager")) == 2


def test_the_first_and_last_digests_have_no_neighbour_on_their_outer_side(client, archive):
    first = soup_of(client, archive[0].get_absolute_url())
    assert first.select(".pager a[rel=prev]") == []
    assert texts(first, ".pager .pager-prev") == ["Earliest digest", "Earliest digest"]
    assert first.select_one(".pager a[rel=next]")["href"] == archive[1].get_absolute_url()
    last = soup_of(client, archive[-1].get_absolute_url())
    assert last.select(".pager a[rel=next]") == []
    assert texts(last, ".pager .pager-next") == ["Latest digest", "Latest digest"]


def test_two_digests_of_one_day_follow_each_other(client, seed):
    other = Digest.objects.create(
        date=seed.date, title="Another newsletter", newsletter="Other Weekly", file_name="other.txt",
        sha256="0" * 64, source_text="x",
    )
    assert soup_of(client, seed.get_absolute_url()).select_one(".pager a[rel=next]")["href"] == other.get_absolute_url()
    assert soup_of(client, other.get_absolute_url()).select_one(".pager a[rel=prev]")["href"] == seed.get_absolute_url()


def test_digest_page_shows_each_storys_entity_chips_linking_to_the_narrowed_search(client, seed):
    soup = soup_of(client, seed.get_absolute_url())
    for story in seed.stories.all():
        section = soup.select_one(f"#story-{story.position}")
        expected = [(kind, entity.name) for kind, entities in chips_of(story).items() for entity in entities]
        chips = section.select(".story-entities .chip")
        assert [(chip["class"][1].removeprefix("chip-"), chip.get_text()) for chip in chips] == expected
        for chip, (kind, name) in zip(chips, expected):
            assert urlsplit(chip["href"]).path == reverse("search:search")
            assert query_of(chip["href"]) == {kind: [name]}
    raqqa = soup.select_one("#story-1 .chip-place[href='/search/?place=Raqqa']")
    assert raqqa.get_text() == "Raqqa"
    isis = soup.select_one("#story-1 .chip-actor[href='/search/?actor=ISIS']")
    assert isis["title"] == "Armed group · Search stories that mention ISIS"


def test_digest_page_costs_the_same_few_queries_however_many_stories(client, seed, django_assert_max_num_queries):
    url = seed.get_absolute_url()
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_unknown_digest_is_a_friendly_404(client):
    soup = soup_of(client, reverse("digest:digest", args=[999]), status=404)
    assert soup.h1.get_text() == "There is no page here"
    assert soup.select_one(".error-page code").get_text() == "/digests/999/"


# Story page


def test_story_page_shows_its_place_in_the_digest_and_links_back_to_it(client, seed):
    story = seed.stories.get(position=2)
    soup = soup_of(client, story.get_absolute_url())
    assert soup.h1.get_text() == "Proposal for Refugee ‘Safe Zones’ Gains Traction"
    assert len(soup.select("article.story-page > p:not(.byline)")) == 8
    byline = soup.select_one(".byline")
    assert byline.get_text(" ", strip=True) == (
        "Syria Daily Digest, 26 November 2014 · Wednesday, 26 November 2014 · story 2 of 3"
    )
    assert byline.a["href"] == f"{seed.get_absolute_url()}#story-2"
    pager = soup.select_one(".story-pager")
    assert pager.select_one("a[rel=prev]")["href"] == seed.stories.get(position=1).get_absolute_url()
    assert pager.select_one("a[rel=next]")["href"] == seed.stories.get(position=3).get_absolute_url()
    assert pager.select_one("a[rel=next]").get_text(" ", strip=True) == (
        "Next story → Syrian Foreign Minister Begins Two-Day Visit to Russia for Weapons and Money"
    )
    assert pager.select_one(".pager-up")["href"] == f"{seed.get_absolute_url()}#story-2"


def test_first_and_last_story_say_where_the_digest_ends(client, seed):
    first = soup_of(client, seed.stories.get(position=1).get_absolute_url())
    assert first.select(".story-pager a[rel=prev]") == []
    assert texts(first, ".story-pager .pager-prev") == ["First story of the digest"]
    last = soup_of(client, seed.stories.get(position=3).get_absolute_url())
    assert last.select(".story-pager a[rel=next]") == []
    assert texts(last, ".story-pager .pager-next") == ["Last story of the digest"]
    assert "story 3 of 3" in last.select_one(".byline").get_text()


def test_story_page_groups_entities_by_kind_with_actor_types(client, seed):
    story = seed.stories.get(position=2)
    soup = soup_of(client, story.get_absolute_url())
    expected = chips_of(story)
    assert texts(soup, ".entities dt") == ["Places", "Actors", "Sources"]
    places, actors, sources = soup.select(".entities dd")
    assert [(c.contents[0], c["href"]) for c in places.select(".chip-place")] == [
        (e.name, f"/search/?place={e.name}") for e in expected["place"]
    ]
    labels = dict(Entity.ACTOR_TYPES)
    assert [(c.contents[0].strip(), c.select_one(".chip-type").get_text()) for c in actors.select(".chip-actor")] == [
        (e.name, labels[e.actor_type]) for e in expected["actor"]
    ]
    assert ("Laurent Fabius", "Person") in [(e.name, labels[e.actor_type]) for e in expected["actor"]]
    assert [c.get_text() for c in sources.select(".chip-source")] == [e.name for e in expected["source"]]
    assert query_of(soup.select_one(".chip-actor[href*='Bashar']")["href"]) == {"actor": ["Bashar al-Assad"]}


def test_story_page_offers_more_like_this_from_the_search_engine(client, seed):
    from search.query import more_like_this

    story = seed.stories.get(position=2)
    related = more_like_this(story, limit=5)
    assert related and story.pk not in [hit.id for hit in related]
    soup = soup_of(client, story.get_absolute_url())
    assert soup.select_one(".more-like-this h2").get_text() == "More like this"
    assert [(a.get_text(), a["href"]) for a in soup.select(".related-stories a")] == [
        (hit.headline, hit.url) for hit in related
    ]


def test_story_page_renders_without_more_like_this_when_the_engine_fails(client, seed, monkeypatch):
    def broken(story, limit):
        raise SearchError("the index is locked")

    monkeypatch.setattr("search.query.more_like_this", broken)
    soup = soup_of(client, seed.stories.get(position=1).get_absolute_url())
    assert soup.select(".more-like-this") == []
    assert soup.h1.get_text().startswith("Syrian Government Strikes on ISIS Targets")


def test_story_page_costs_four_queries(client, seed, django_assert_max_num_queries):
    # The story, its entities, its neighbours, and its near-duplicates ("Also in").
    url = seed.stories.get(position=2).get_absolute_url()
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_story_url_with_a_stale_slug_redirects(client, seed):
    story = seed.stories.first()
    response = client.get(reverse("digest:story", args=[story.pk, "old-slug"]))
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(reverse("digest:story-short", args=[story.pk]))["Location"] == story.get_absolute_url()


def test_unknown_story_and_address_are_friendly_404s(client):
    for url in (reverse("digest:story", args=[999, "x"]), "/no/such/page/"):
        soup = soup_of(client, url, status=404)
        assert soup.h1.get_text() == "There is no page here"
        assert soup.select_one(".error-page code").get_text() == url
        assert soup.select_one(".error-search")["action"] == reverse("search:search")
        assert soup.select_one(".site-header .site-name").get_text() == "News Digest Archive"


# Server error


def test_server_error_page_needs_no_database(client, django_db_blocker):
    client.raise_request_exception = False
    with django_db_blocker.block():
        response = client.get(HOME)  # the view's first query fails: the database is out of reach
        direct = server_error(RequestFactory().get(HOME))
    assert response.status_code == 500
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.h1.get_text() == "Something went wrong on our side"
    assert soup.select_one(".site-header a.site-name")["href"] == HOME
    assert direct.status_code == 500
    assert direct.content == response.content


def test_stories_of_a_digest_keep_their_order_in_the_pager(client, seed):
    """The pager follows story positions, not ids (a replaced digest gets new ids)."""
    stories = list(seed.stories.all())
    Story.objects.filter(pk=stories[0].pk).update(position=10)
    soup = soup_of(client, stories[1].get_absolute_url())
    assert soup.select(".story-pager a[rel=prev]") == []
    assert soup.select_one(".story-pager a[rel=next]")["href"] == stories[2].get_absolute_url()
