"""Entity pages in headless Chromium: from a story's chip to the entity page, its timeline, companions and map;
the index's tabs, filter and sort; the search page's map."""
import os
import re

import pytest

from digest.models import Entity

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("ARCHIVE_SCREENSHOTS")  # a directory to keep screenshots in, to look at them


def shoot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def placed_archive(search_archive):
    """The fixture archive with coordinates on the places the store would take from the gazetteer."""
    for name, latitude, longitude in (("Aleppo", 36.20124, 37.16117), ("Damascus", 33.5102, 36.29128),
                                      ("Idlib", 35.93062, 36.63393)):
        Entity.objects.filter(kind="place", name=name).update(latitude=latitude, longitude=longitude)
    return search_archive


def test_a_chip_leads_to_the_entity_page_with_timeline_companions_and_map(live_server, placed_archive, browser_page):
    page = browser_page
    story = placed_archive["De Mistura Presses Aleppo Freeze Plan in Damascus"]
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_role("link", name="About Aleppo").click()
    page.wait_for_url(re.compile(r"/entities/\d+/aleppo/$"))
    assert page.locator("h1").inner_text() == "Aleppo"
    assert page.locator(".entity-stories").inner_text() == "5"

    chart = page.locator(".timeline-chart")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] > 300
    assert page.locator(".timeline-bar").count() == 3
    page.locator(".timeline-table summary").click()
    assert page.locator(".timeline-table tbody tr").count() == 2

    damascus = page.locator(".entity-co-group[data-kind=place] li", has_text="Damascus")
    assert damascus.is_visible()
    map_svg = page.locator(".entity-map svg")
    assert map_svg.is_visible() and map_svg.bounding_box()["height"] > 150
    assert page.locator(".entity-map .place-map-land path").count() > 5
    bubble = page.locator(".entity-map a.place-map-bubble[aria-label^='Damascus']")
    box = bubble.bounding_box()
    assert box and box["width"] > 4
    shoot(page, "entity-page")

    together = damascus.locator(".entity-co-count").inner_text()  # "2 stories"
    damascus.locator(".entity-co-count").click()
    page.wait_for_url(re.compile(r"/search/\?place=Aleppo&place=Damascus$"))
    assert page.locator("#search-summary").inner_text().strip() == together
    assert page.locator(".search-where svg").is_visible()
    shoot(page, "search-where")

    page.go_back()
    page.locator(".entity-map a.place-map-bubble[aria-label^='Damascus'] circle").click(force=True)
    page.wait_for_url(re.compile(r"/search/\?place=Aleppo&place=Damascus$"))


def test_the_index_switches_kinds_filters_and_sorts(live_server, placed_archive, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/entities/")
    page.get_by_role("link", name="Actors").click()
    page.wait_for_url(re.compile(r"kind=actor"))
    assert page.locator(".entity-tabs [aria-current=page]").inner_text() == "Actors"
    page.fill("#entity-q", "isis")
    page.press("#entity-q", "Enter")
    page.wait_for_url(re.compile(r"kind=actor&q=isis"))
    assert page.locator(".entity-table tbody tr a").all_inner_texts() == ["ISIS"]
    page.goto(f"{live_server.url}/entities/?kind=place")
    page.get_by_role("link", name="Name").click()
    names = page.locator(".entity-table tbody tr a").all_inner_texts()
    assert names == sorted(names, key=str.casefold) and len(names) > 3
    shoot(page, "entity-index")
