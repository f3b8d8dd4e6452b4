"""The browsing pages in headless Chromium: from the home page to a digest, a story and its facets; phone width."""
import datetime
import re

import pytest

from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(seed_path, fresh_index):
    ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))


def test_reader_goes_from_home_to_digest_to_story_and_on_to_search(live_server, seeded, browser_page):
    page = browser_page
    page.goto(live_server.url)
    page.get_by_role("link", name=re.compile("26 November 2014")).click()

    assert page.locator("section.story h2").all_inner_texts() == [
        "Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians",
        "Proposal for Refugee ‘Safe Zones’ Gains Traction",
        "Syrian Foreign Minister Begins Two-Day Visit to Russia for Weapons and Money",
    ]
    assert page.locator(".reads li").count() == 6

    page.locator("section.story h2 a", has_text="Proposal for Refugee").click()
    page.wait_for_url(re.compile(r"/stories/\d+/proposal-for-refugee-safe-zones-gains-traction/$"))
    assert page.locator("h1").inner_text() == "Proposal for Refugee ‘Safe Zones’ Gains Traction"
    assert page.locator("article p").count() >= 8

    page.locator(".entities .chip-place", has_text="Aleppo").click()
    page.wait_for_url(re.compile(r"/search/\?place=Aleppo"))
    assert "Proposal for Refugee ‘Safe Zones’ Gains Traction" in page.locator("main").inner_text()


PHONE = {"width": 390, "height": 844}
PHONE_PAGES = {
    "home": "/",
    "year": "/?year=2014",
    "digest": None,  # the seed digest, known once stored
    "story": None,
    "story of a long-titled digest": None,
    "search": "/search/?q=Aleppo&place=Syria&not_source=Reuters",
    "search, every actor": "/search/?expand=actor",
    "missing page": "/no/such/page/",
}


@pytest.fixture
def archive(fixtures_dir, seed_path, fresh_index):
    """The seed and the digests either side of it, each test in an index of its own."""
    ingest_input(InputFile(seed_path.name, seed_path.read_bytes(), None), date=datetime.date(2014, 11, 26))
    for name in ("2014-08-20-foley.eml", "2014-12-03-brussels.txt", "2016-12-14-aleppo.html"):
        path = fixtures_dir / "digests" / name
        ingest_input(InputFile(path.name, path.read_bytes(), None))
    return Digest.objects.get(date=datetime.date(2014, 11, 26))


def overflowing(page) -> dict:
    """How far the page scrolls sideways, and the elements that stick out of the viewport."""
    return page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            viewport: window.innerWidth,
            culprits: [...document.querySelectorAll("body *")]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5)
                .map(e => e.tagName.toLowerCase() + "." + e.className + ": " + (e.textContent || "").trim().slice(0, 40)),
        })"""
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_nothing_overflows_sideways_at_phone_width(live_server, archive, chromium, javascript):
    story = archive.stories.get(position=2)
    foley = Digest.objects.get(date=datetime.date(2014, 8, 20)).stories.get(position=1)
    urls = {
        **PHONE_PAGES,
        "digest": archive.get_absolute_url(),
        "story": story.get_absolute_url(),
        "story of a long-titled digest": foley.get_absolute_url(),
    }
    context = chromium.new_context(viewport=PHONE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        for name, url in urls.items():
            page.goto(live_server.url + url)
            assert page.locator("h1").count() == 1, name
            measured = overflowing(page)
            assert measured["scrollWidth"] <= measured["viewport"], (name, measured)
            assert measured["culprits"] == [], (name, measured)
    finally:
        context.close()


def test_analyst_jumps_to_a_month_and_walks_from_digest_to_digest(live_server, archive, browser_page):
    page = browser_page
    page.goto(live_server.url)
    assert page.locator(".archive-count").inner_text() == "4 digests, August 2014 to December 2016"
    page.locator(".jump-years a", has_text="2014").click()
    page.wait_for_url(re.compile(r"/\?year=2014$"))
    page.locator(".jump-months a", has_text="Nov").click()
    page.wait_for_url(re.compile(r"/\?year=2014&month=11$"))
    assert page.locator("h1").inner_text() == "Digests of November 2014"

    page.locator(".digest-title").click()
    assert page.locator("h1").inner_text() == "Syria Daily Digest, 26 November 2014"
    page.locator(".pager").first.locator("a[rel=next]").click()
    assert page.locator("h1").inner_text() == "Syria Daily Digest, 3 December 2014"
    page.locator(".pager").first.locator("a[rel=prev]").click()
    page.locator(".pager").first.locator("a[rel=prev]").click()
    assert page.locator(".digest-head time").get_attribute("datetime") == "2014-08-20"

    page.locator("section.story h2 a").first.click()
    assert page.locator(".byline").inner_text().endswith("story 1 of 3")
    page.locator(".story-pager a[rel=next]").click()
    assert page.locator(".byline").inner_text().endswith("story 2 of 3")
    page.locator(".story-pager .pager-up").click()
    page.wait_for_url(re.compile(r"/digests/\d+/#story-2$"))
    assert page.locator("#story-2").is_visible()
