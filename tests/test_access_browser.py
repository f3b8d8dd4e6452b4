"""In headless Chromium: an analyst logs in, searches and logs out; an editor uploads in the admin.
No page breaks the Content-Security-Policy (no violation event, no console error)."""
import re

import pytest
from django.contrib.auth.models import Group

from accounts.roles import ANALYSTS, EDITORS

pytestmark = [pytest.mark.browser, pytest.mark.private]

PASSWORD = "a long and private pass"
# Playwright adds this before any page script; the policy does not apply to it.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", e => window.cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


def watched(page):
    """The page, recording CSP violations and console errors of every document it loads."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.add_init_script(RECORD_VIOLATIONS)
    return errors


def no_violations(page, errors):
    assert page.evaluate("window.cspViolations") == []
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []


def log_in(page, base, username, next_path="/"):
    page.goto(base + next_path)
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    assert page.locator("h1").inner_text() == "Log in"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_analyst_logs_in_searches_and_logs_out(live_server, search_archive, roles, django_user_model, browser_page,
                                              settings):
    settings.AXES_ENABLED = True
    django_user_model.objects.create_user("ana", password=PASSWORD).groups.add(Group.objects.get(name=ANALYSTS))
    page = browser_page
    errors = watched(page)

    log_in(page, live_server.url, "ana", next_path="/search/")
    page.wait_for_url(f"{live_server.url}/search/")
    assert page.locator(".site-user").inner_text() == "ana"
    page.fill("#facet-actor .facet-filter", "nus")  # the facet script runs under the policy
    assert page.locator("#facet-actor .facet-value:visible .facet-name").all_inner_texts() == ["Jabhat al-Nusra"]
    no_violations(page, errors)

    page.fill("#search-q", "Aleppo")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=Aleppo"))
    assert page.locator("#search-summary").inner_text().strip() == "5 stories"
    assert page.locator(".histogram .bar").first.bounding_box()["height"] > 2  # bar heights come from the stylesheet
    no_violations(page, errors)

    page.get_by_role("button", name="Log out").click()
    assert page.locator("h1").inner_text() == "You are logged out"
    page.goto(f"{live_server.url}/search/?q=Aleppo")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))
    no_violations(page, errors)


def test_editor_reaches_the_upload_form_with_no_policy_violation(live_server, roles, django_user_model, browser_page):
    django_user_model.objects.create_user("ed", password=PASSWORD).groups.add(Group.objects.get(name=EDITORS))
    page = browser_page
    errors = watched(page)
    page.goto(f"{live_server.url}/admin/digest/digest/upload/")
    page.wait_for_url(re.compile(r"/admin/login/\?next="))  # the admin keeps its own login page
    page.fill("#id_username", "ed")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/digest/digest/upload/$"))
    assert page.locator("h1").inner_text() == "Upload digests"
    no_violations(page, errors)
    page.goto(f"{live_server.url}/admin/digest/entity/")
    no_violations(page, errors)
