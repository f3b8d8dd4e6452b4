"""Saved searches: saving from the search page, My searches with what is new, opening, renaming,
deleting, each user's own only, and the private feed address that works without a login."""
import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ANALYSTS
from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Story
from search.indexing import update_stories
from search.models import SavedSearch
from search.saved import new_story_count

SAVE = reverse("search:saved-save")
MINE = reverse("search:saved-list")
ATOM = "{http://www.w3.org/2005/Atom}"


def member(django_user_model, username):
    user = django_user_model.objects.create_user(username, password="a long and private pass")
    user.groups.add(Group.objects.get(name=ANALYSTS))
    return user


@pytest.fixture
def ana(django_user_model, db):
    return member(django_user_model, "ana")


@pytest.fixture
def ana_client(client, ana):
    client.force_login(ana)
    return client


def save(client, name, query):
    return client.post(SAVE, {"name": name, "query": query})


def saved(user, name):
    return SavedSearch.objects.get(user=user, name=name)


def ingest_seed(seed_path, capture):
    with capture(execute=True):
        return ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None),
                            date=datetime.date(2014, 11, 26)).digest


def total(client, query):
    return client.get(f"/api/search/?{query}").json()["total"]


def test_the_search_page_offers_a_form_that_saves_its_search_without_the_page(ana_client, ana, search_archive):
    html = ana_client.get("/search/?from=2014-01-01&sort=oldest&page=2").content.decode()
    assert '<input type="hidden" name="query" value="from=2014-01-01&amp;sort=oldest">' in html
    response = save(ana_client, "  Since 2014,   oldest first ", "from=2014-01-01&sort=oldest&page=2")
    assert response.status_code == 302 and response["Location"] == MINE
    mine = SavedSearch.objects.get(user=ana)
    assert (mine.name, mine.query) == ("Since 2014, oldest first", "from=2014-01-01&sort=oldest")
    page = ana_client.get(MINE).content.decode()
    assert "Saved “Since 2014, oldest first”." in page
    assert "from 2014-01-01 · saved" in page
    assert "nothing new" in page


def test_an_anonymous_visitor_of_a_public_archive_is_asked_to_log_in(client, search_archive):
    html = client.get("/search/?q=Aleppo").content.decode()
    assert 'action="/searches/save/"' not in html
    assert '<a href="/accounts/login/?next=/search/%3Fq%3DAleppo">Log in</a> to save this search' in html
    for response in (client.get(MINE), client.post(SAVE, {"name": "x", "query": "q=Aleppo"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not SavedSearch.objects.exists()


@pytest.mark.parametrize("name, query, message", [
    ("", "q=Aleppo", "Give the search a name."),
    ("x" * 101, "q=Aleppo", "The name is 101 characters long; the limit is 100."),
    ("bell\x07", "q=Aleppo", "The name contains control characters."),
    ("Broken", "q=%22Aleppo",
     'This search cannot be saved: The query has an unmatched double quote ("): close the phrase or remove the quote.'),
    ("aleppo WATCH", "q=Idlib", "You already have a search named “aleppo WATCH”; choose another name."),
])
def test_a_save_that_cannot_be_done_says_why_and_saves_nothing(ana_client, ana, search_archive, name, query, message):
    save(ana_client, "Aleppo watch", "q=Aleppo")
    response = save(ana_client, name, query)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Aleppo watch"]


def test_another_user_may_use_the_same_name(ana_client, ana, django_user_model, search_archive):
    bob = member(django_user_model, "bob")
    SavedSearch.objects.create(user=bob, name="Aleppo watch", query="q=Aleppo", feed_token="b")
    assert save(ana_client, "Aleppo watch", "q=Aleppo").status_code == 302


def test_saving_needs_the_csrf_token(ana, search_archive):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ana)
    assert client.post(SAVE, {"name": "x", "query": "q=Aleppo"}).status_code == 403
    assert not SavedSearch.objects.exists()


def test_opening_a_search_goes_to_it_and_starts_counting_anew(ana_client, ana, search_archive):
    save(ana_client, "Aleppo", "q=Aleppo&sort=oldest")
    mine = saved(ana, "Aleppo")
    mine.last_opened_at = timezone.now() - datetime.timedelta(days=3)
    mine.save()
    response = ana_client.get(reverse("search:saved-open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/search/?q=Aleppo&sort=oldest"
    mine.refresh_from_db()
    assert timezone.now() - mine.last_opened_at < datetime.timedelta(seconds=5)


def test_new_stories_are_those_stored_since_last_opened_that_match(
    ana_client, ana, search_archive, seed_path, django_capture_on_commit_callbacks
):
    for name, query in [("Aleppo", "q=Aleppo"), ("Syria places", "place=Syria"), ("Everything", ""),
                        ("Before the seed", "to=2014-11-25"), ("Nothing", "q=zzzznothing")]:
        save(ana_client, name, query)
    counts = {s.name: new_story_count(s) for s in SavedSearch.objects.all()}
    assert counts == {"Aleppo": 0, "Syria places": 0, "Everything": 0, "Before the seed": 0, "Nothing": 0}

    seed = ingest_seed(seed_path, django_capture_on_commit_callbacks)  # a backfill: 2014-11-26, amid older digests
    on_seed_day = "from=2014-11-26&to=2014-11-26"
    expected = {"Aleppo": total(ana_client, f"q=Aleppo&{on_seed_day}"),
                "Syria places": total(ana_client, f"place=Syria&{on_seed_day}"),
                "Everything": seed.stories.count(), "Before the seed": 0, "Nothing": 0}
    assert expected["Aleppo"] > 0 and expected["Syria places"] > 0
    assert {s.name: new_story_count(s) for s in SavedSearch.objects.all()} == expected

    page = ana_client.get(MINE).content.decode()
    assert f'{expected["Aleppo"]} new</span>' in page
    ana_client.get(reverse("search:saved-open", args=[saved(ana, "Aleppo").pk]))
    assert new_story_count(saved(ana, "Aleppo")) == 0
    assert new_story_count(saved(ana, "Everything")) == seed.stories.count()


def test_a_new_digest_on_a_day_with_older_stories_counts_only_its_own(ana_client, ana, search_archive):
    save(ana_client, "Aleppo", "q=Aleppo")
    old_on_that_day = total(ana_client, "q=Aleppo&from=2014-12-09&to=2014-12-09")
    assert old_on_that_day > 0
    other = Digest.objects.create(date=datetime.date(2014, 12, 9), newsletter="Another newsletter", title="Other",
                                  file_name="other.txt", sha256="o" * 64, source_text="x")
    stories = [Story.objects.create(digest=other, position=1, headline="Aleppo water cut", body="Aleppo.", slug="a"),
               Story.objects.create(digest=other, position=2, headline="Idlib market", body="Idlib.", slug="i")]
    update_stories([story.pk for story in stories])
    assert new_story_count(saved(ana, "Aleppo")) == 1


def test_rename_and_delete_ones_own_searches(ana_client, ana, search_archive):
    save(ana_client, "Aleppo", "q=Aleppo")
    save(ana_client, "Idlib", "q=Idlib")
    mine = saved(ana, "Aleppo")
    ana_client.post(reverse("search:saved-rename", args=[mine.pk]), {"name": "Aleppo, daily"})
    assert "Renamed “Aleppo” to “Aleppo, daily”." in ana_client.get(MINE).content.decode()
    ana_client.post(reverse("search:saved-rename", args=[mine.pk]), {"name": "idlib"})
    assert ("“Aleppo, daily” was not renamed: You already have a search named “idlib”; choose another name."
            in ana_client.get(MINE).content.decode())
    ana_client.post(reverse("search:saved-delete", args=[mine.pk]))
    assert list(SavedSearch.objects.values_list("name", flat=True)) == ["Idlib"]
    assert "Deleted “Aleppo, daily”." in ana_client.get(MINE).content.decode()


def test_other_users_can_neither_see_nor_change_ones_searches(ana_client, ana, django_user_model, search_archive):
    save(ana_client, "Ana's Aleppo", "q=Aleppo")
    mine = saved(ana, "Ana's Aleppo")
    bob = Client()
    bob.force_login(member(django_user_model, "bob"))
    assert "Ana&#x27;s Aleppo" not in bob.get(MINE).content.decode()
    assert bob.get(reverse("search:saved-open", args=[mine.pk])).status_code == 404
    for action in ("saved-rename", "saved-delete", "saved-feed-link"):
        assert bob.post(reverse(f"search:{action}", args=[mine.pk]), {"name": "Bob's"}).status_code == 404
    after = saved(ana, "Ana's Aleppo")
    assert (after.name, after.feed_token, after.last_opened_at) == (mine.name, mine.feed_token, mine.last_opened_at)


def test_changes_must_be_posts(ana_client, ana, search_archive):
    save(ana_client, "Aleppo", "q=Aleppo")
    mine = saved(ana, "Aleppo")
    for action in ("saved-rename", "saved-delete", "saved-feed-link"):
        assert ana_client.get(reverse(f"search:{action}", args=[mine.pk])).status_code == 405
    assert SavedSearch.objects.filter(pk=mine.pk).exists()


# ---------------------------------------------------------------- the private feed

def feed_url(saved_search):
    return reverse("search:saved-feed", args=[saved_search.pk, saved_search.feed_token])


@pytest.mark.private
def test_the_feed_address_works_without_a_login_on_a_private_archive(ana_client, ana, search_archive):
    save(ana_client, "Raqqa news", "q=Raqqa")
    mine = saved(ana, "Raqqa news")
    assert len(mine.feed_token) >= 43  # 32 random bytes
    page = ana_client.get(MINE).content.decode()
    assert f'value="http://testserver{feed_url(mine)}"' in page
    reader = Client()
    response = reader.get(feed_url(mine))
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.findtext(f"{ATOM}title") == "News Digest Archive: Raqqa news"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles == [hit["headline"] for hit in ana_client.get("/api/search/?q=Raqqa&sort=newest").json()["results"]]
    assert reader.get("/search/?q=Raqqa").status_code == 302  # the token opens the feed, nothing else


@pytest.mark.private
def test_a_wrong_old_or_foreign_token_finds_no_feed(ana_client, ana, django_user_model, search_archive):
    save(ana_client, "Raqqa news", "q=Raqqa")
    mine = saved(ana, "Raqqa news")
    old = feed_url(mine)
    reader = Client()
    assert reader.get(reverse("search:saved-feed", args=[mine.pk, mine.feed_token[:-1] + "x"])).status_code == 404
    bob = member(django_user_model, "bob")
    bobs = SavedSearch.objects.create(user=bob, name="Bob's", query="", feed_token="bobs-own-secret-token")
    assert reader.get(reverse("search:saved-feed", args=[mine.pk, bobs.feed_token])).status_code == 404
    ana_client.post(reverse("search:saved-feed-link", args=[mine.pk]))
    assert reader.get(old).status_code == 404
    assert reader.get(feed_url(saved(ana, "Raqqa news"))).status_code == 200


@pytest.mark.private
def test_the_feed_stops_when_its_owner_may_no_longer_read(ana_client, ana, search_archive):
    save(ana_client, "Raqqa news", "q=Raqqa")
    url = feed_url(saved(ana, "Raqqa news"))
    ana.groups.clear()
    assert Client().get(url).status_code == 404
    ana.groups.add(Group.objects.get(name=ANALYSTS))
    ana.is_active = False
    ana.save()
    assert Client().get(url).status_code == 404


def test_an_engine_that_fails_leaves_my_searches_readable_and_feeds_a_503(ana_client, ana, search_archive):
    from search_engines import search_engine
    from test_search_contract import SOLR_ENGINE, nothing_listens

    from search.contract import ENGINE_UNAVAILABLE

    save(ana_client, "Aleppo", "q=Aleppo")
    Digest.objects.create(date=datetime.date(2015, 3, 1), title="New", file_name="n.txt", sha256="n" * 64,
                          source_text="x").stories.create(position=1, headline="Aleppo", body="Aleppo.", slug="a")
    mine = saved(ana, "Aleppo")
    port = nothing_listens()
    with search_engine({"ENGINE": SOLR_ENGINE, "URL": f"http://127.0.0.1:{port}/solr/archive", "TIMEOUT": 5}):
        page = ana_client.get(MINE)
        feed = Client().get(feed_url(mine))
        search_feed = ana_client.get("/search/feed.atom?q=Aleppo")
    assert page.status_code == 200
    assert "new stories cannot be counted just now" in page.content.decode()
    for response in (feed, search_feed):
        assert (response.status_code, response.content.decode()) == (503, ENGINE_UNAVAILABLE)
