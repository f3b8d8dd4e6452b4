"""The browsing pages in headless Chromium: from the home page to a digest, a story and its facets."""
import datetime
import re

import pytest
from browser import browser_page, chromium  # noqa: F401

from digest.ingest.service import ingest_input
from digest.ingest.sources import InputFile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seeded(seed_path):
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
