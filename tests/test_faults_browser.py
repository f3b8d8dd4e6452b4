"""What a person sees in headless Chromium when the search index is damaged: the reason, the query
kept in the box, and the digests still a click away; search again once the index is rebuilt."""
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from test_whoosh_integrity import cut_short, restart

from search.contract import INDEX_DAMAGED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif("PATH" not in settings.HAYSTACK_CONNECTIONS["default"], reason="damages Whoosh's files"),
]


def test_the_search_page_says_the_index_is_damaged_and_answers_after_the_rebuild(
        live_server, search_archive, fresh_index, browser_page):
    page = browser_page
    restart(fresh_index)
    cut_short(Path(fresh_index.path))

    response = page.goto(f"{live_server.url}/search/?q=Aleppo")
    assert response.status == 503
    assert page.locator(".search-error p").first.inner_text().strip() == INDEX_DAMAGED
    assert page.input_value("#search-q") == "Aleppo"
    page.get_by_role("link", name="Digests").first.click()
    page.wait_for_url(f"{live_server.url}/")

    call_command("check_index", "--fix", stdout=StringIO())
    page.goto(f"{live_server.url}/search/?q=Aleppo")
    assert page.locator("#search-summary").inner_text().strip() == "5 stories"
