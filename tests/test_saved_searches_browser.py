"""In headless Chromium: an analyst saves a search from the search page, finds it in My searches
with its feed address, and opens it again; the CSV and feed links carry the search."""
import re

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ANALYSTS

pytestmark = [pytest.mark.browser, pytest.mark.private, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private pass"


def test_analyst_saves_a_search_and_finds_it_in_my_searches(live_server, search_archive, roles, django_user_model,
                                                             browser_page, tmp_path):
    django_user_model.objects.create_user("ana", password=PASSWORD).groups.add(Group.objects.get(name=ANALYSTS))
    page = browser_page
    page.goto(f"{live_server.url}/search/?q=Aleppo&not_source=Reuters")
    page.fill("#id_username", "ana")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/search/\?q=Aleppo"))

    assert page.get_by_role("link", name=re.compile(r"^CSV of all \d+$")).get_attribute("href") == \
        "/api/search/export.csv?q=Aleppo&not_source=Reuters"
    assert page.get_by_role("link", name="Atom feed of the newest").get_attribute("href") == \
        "/search/feed.atom?q=Aleppo&not_source=Reuters"
    page.screenshot(path=str(tmp_path / "search.png"))
    name = page.get_by_label("Save this search as")
    assert name.input_value() == "Aleppo"
    name.fill("Aleppo without Reuters")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(f"{live_server.url}/searches/")
    assert page.locator("h1").inner_text() == "My searches"
    assert page.get_by_role("status").inner_text() == "Saved “Aleppo without Reuters”."
    item = page.locator(".saved-search")
    assert item.count() == 1
    assert item.locator("h2 a").inner_text() == "Aleppo without Reuters"
    assert item.locator(".saved-new").inner_text() == "nothing new"
    assert item.locator(".saved-description").inner_text().startswith("“Aleppo”, not source Reuters · saved ")
    feed = item.get_by_label("Feed address").input_value()
    assert re.fullmatch(rf"{re.escape(live_server.url)}/searches/\d+/[\w-]{{43}}/feed.atom", feed)
    page.screenshot(path=str(tmp_path / "my-searches.png"), full_page=True)

    item.get_by_label("New name for Aleppo without Reuters").fill("Aleppo, no Reuters")
    item.get_by_role("button", name="Rename").click()
    assert page.get_by_role("status").inner_text() == "Renamed “Aleppo without Reuters” to “Aleppo, no Reuters”."

    page.get_by_role("link", name="Aleppo, no Reuters").click()
    page.wait_for_url(f"{live_server.url}/search/?q=Aleppo&not_source=Reuters")
    assert page.locator(".chip-excluded").inner_text().startswith("not Reuters")
