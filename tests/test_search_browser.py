"""The search page in headless Chromium: search, narrow by a facet, exclude a value, remove a chip."""
import re

import pytest

pytestmark = pytest.mark.browser


def summary(page):
    return page.locator("#search-summary").inner_text().strip()


def headlines(page):
    return sorted(page.locator(".hit-headline").all_inner_texts())


def facet_value(page, kind, value):
    return page.locator(f"#facet-{kind} .facet-value").filter(
        has=page.locator(".facet-name", has_text=re.compile(f"^{re.escape(value)}$"))
    )


def test_search_narrow_exclude_and_remove_a_chip(live_server, search_archive, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    page.fill("#search-q", "Aleppo")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=Aleppo"))
    assert summary(page) == "5 stories"

    facet_value(page, "actor", "Staffan de Mistura").locator(".facet-toggle").click()
    page.wait_for_url(re.compile(r"actor=Staffan\+de\+Mistura"))
    assert summary(page) == "3 stories"
    assert page.locator(".search-chips .chip-actor").inner_text().startswith("Staffan de Mistura")
    assert headlines(page) == [
        "Assad Says Aleppo Freeze Is Worth Studying",
        "De Mistura Presses Aleppo Freeze Plan in Damascus",
        "Proposal for Refugee Safe Zones Gains Traction",
    ]

    facet_value(page, "place", "Damascus").locator(".facet-exclude").click()
    page.wait_for_url(re.compile(r"not_place=Damascus"))
    assert summary(page) == "1 story"
    assert headlines(page) == ["Assad Says Aleppo Freeze Is Worth Studying"]
    assert page.locator(".search-chips .chip-excluded").inner_text().startswith("not Damascus")

    page.locator(".search-chips .chip-actor").click()
    page.wait_for_url(lambda url: "actor=" not in url)
    assert summary(page) == "3 stories"
    assert headlines(page) == [
        "Assad Says Aleppo Freeze Is Worth Studying",
        "Barrel Bombs Fall on Eastern Aleppo",
        "Government Offensive North of Aleppo Stalls",
    ]
    assert page.locator(".search-chips .chip").count() == 1

    page.reload()  # the URL is the state
    assert summary(page) == "3 stories"


def test_filter_box_and_more_work_in_place(live_server, search_archive, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    actors = page.locator("#facet-actor .facet-value")
    assert actors.count() == 12
    assert page.locator("#facet-actor .facet-value:visible").count() == 8

    page.fill("#facet-actor .facet-filter", "nus")
    assert page.locator("#facet-actor .facet-value:visible .facet-name").all_inner_texts() == ["Jabhat al-Nusra"]
    assert page.locator("#facet-actor .facet-more").is_hidden()
    page.fill("#facet-actor .facet-filter", "")
    assert page.locator("#facet-actor .facet-value:visible").count() == 8
    assert page.locator("#facet-actor .facet-more").is_visible()

    page.locator("#facet-actor .facet-more").click()
    assert page.locator("#facet-actor .facet-value:visible").count() == 12
    assert page.url == f"{live_server.url}/search/"  # expanded in place, no reload


def test_a_month_bar_narrows_the_date_range(live_server, search_archive, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/search/")
    page.locator(".histogram a.bar[title^='Dec 2014']").click()
    page.wait_for_url(re.compile(r"from=2014-12-01&to=2014-12-31"))
    assert summary(page) == "9 stories"
    assert page.input_value("#search-from") == "2014-12-01"
