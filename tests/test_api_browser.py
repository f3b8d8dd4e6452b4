"""The API's docs page in headless Chromium: Swagger UI loads under the site's policy and tries a search."""
import json

import pytest

pytestmark = pytest.mark.browser


def test_the_docs_page_is_linked_lists_the_search_and_tries_it(live_server, search_archive, browser_page):
    page = browser_page
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server.url}/search/")
    page.get_by_role("link", name="The JSON API").click()
    page.wait_for_url(f"{live_server.url}/api/docs/")
    operation = page.locator("#operations-search-api_search_search")
    operation.locator(".opblock-summary").click()
    operation.locator("tr[data-param-name='q'] input").fill("Aleppo")
    operation.locator(".execute").click()
    body = operation.locator(".live-responses-table .response-col_description pre.microlight").first
    body.wait_for()
    answer = json.loads(body.inner_text())
    assert (answer["query"], answer["total"]) == ("Aleppo", 5)
    assert operation.locator(".live-responses-table tbody .response-col_status").first.inner_text().strip() == "200"
    assert refused == []

