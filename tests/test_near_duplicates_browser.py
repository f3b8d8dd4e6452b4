"""Near-duplicates in headless Chromium: a story's "Also in" links, and folding search results."""
import re

import pytest

pytestmark = pytest.mark.browser


def test_also_in_links_a_story_to_its_retelling_and_back(live_server, near_duplicate_digests, browser_page):
    first, _ = near_duplicate_digests
    page = browser_page
    page.goto(live_server.url + first.stories.get(headline__startswith="Engineers Warn").get_absolute_url())
    also_in = page.locator(".also-in")
    assert also_in.locator("h2").inner_text().strip().lower() == "also in"
    link = also_in.locator("li a")
    assert link.count() == 1 and link.is_visible()
    assert link.inner_text() == "Syria Daily Digest, 21 January 2015, 21 January 2015"
    link.click()
    page.wait_for_url(re.compile(r"/mosul-dam-at-risk-of-collapse"))
    assert page.locator("h1").inner_text() == "Mosul Dam at Risk of Collapse, US Engineers Tell Baghdad"
    assert page.locator(".also-in li").inner_text() == (
        "Syria Daily Digest, 20 January 2015, 20 January 2015: Engineers Warn Mosul Dam Could Fail Within Months")


def test_fold_toggle_folds_retold_stories_under_n_similar(live_server, near_duplicate_digests, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    assert page.locator(".hits > .hit").count() == 8
    page.get_by_role("link", name="Fold similar stories").click()
    page.wait_for_url(re.compile(r"fold=1"))
    assert page.locator("#search-summary").inner_text().strip() == "8 stories"
    assert page.locator(".hits > .hit").count() == 5
    entry = page.locator(".hit").filter(has=page.get_by_role("heading", name="Death Toll From Raqqa Airstrikes Rises to 95"))
    similar = entry.locator(".hit-similar")
    assert similar.locator("summary").inner_text() == "1 similar"
    folded = similar.get_by_role("link", name="Airstrikes on Raqqa Kill at Least 63")
    assert not folded.is_visible()
    similar.locator("summary").click()
    assert folded.is_visible()

    # A new query keeps folding on (the form carries it), and the toggle turns it off.
    page.fill("#search-q", "Mosul")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=Mosul.*fold=1"))
    assert page.locator(".hits > .hit").count() == 1
    assert page.locator(".hit-similar summary").inner_text() == "1 similar"
    page.get_by_role("link", name="Show every story").click()
    page.wait_for_url(lambda url: "fold" not in url)
    assert page.locator(".hits > .hit").count() == 2
