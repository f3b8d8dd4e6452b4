"""Headless Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright.

Never a downloaded browser (no `playwright install`). Tests that use these
fixtures skip when chromium is missing, unless ARCHIVE_REQUIRE_BROWSER=1
makes that a failure. Import both fixtures: `from browser import browser_page, chromium`.
"""
import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


# Every test module that imports `chromium` gets its own copy of the fixture, but
# Playwright's sync API runs one event loop per thread: the first copy starts the
# browser and the others share it.
_shared = {}


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium for the whole run; skipped when Debian's chromium is not installed."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and ARCHIVE_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    if "browser" in _shared:
        yield _shared["browser"]
        return
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # refuses to run beside one unless told that it is safe (it is: one thread).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        _shared["browser"] = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield _shared["browser"]
        _shared.pop("browser").close()


@pytest.fixture
def browser_page(chromium):
    """A fresh browser tab (its own cookies), closed after the test."""
    context = chromium.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
