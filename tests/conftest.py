import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings as hypothesis_settings

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_b7d1722ab27881cd.txt"

# Property tests: a few dozen examples each on every run (CI time counts); HYPOTHESIS_PROFILE=long
# for a deeper local search. Examples run without a deadline: the machine is shared and search
# latency is not what they test.
hypothesis_settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_configure(config):
    """Keep test runs off the developer's var/ index.

    Django has read its settings by now, so the default connection is pointed at
    a fresh Whoosh directory in place, before haystack opens it. A run whose
    environment names an engine (the Solr suite) keeps that engine.
    """
    if "SEARCH_URL" not in os.environ:
        from django.conf import settings

        path = tempfile.mkdtemp(prefix="archive-test-index-")
        settings.HAYSTACK_CONNECTIONS["default"]["PATH"] = path
        config.add_cleanup(lambda: shutil.rmtree(path, ignore_errors=True))


@pytest.fixture(autouse=True)
def archive_access(request, settings):
    """Most tests are about what pages and the API show, so they read a public archive;
    tests of who may see what are marked `private` and get the deployment default."""
    settings.ARCHIVE_PUBLIC = request.node.get_closest_marker("private") is None


@pytest.fixture
def roles(django_db_blocker):
    """The Analysts and Editors groups: a test on a flushed database (transaction=True, live_server) lacks
    what the data migration made."""
    from django.apps import apps

    from accounts.roles import sync_roles

    with django_db_blocker.unblock():
        sync_roles(apps)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """An SQLite test database in a file, not in memory, so that tests can run real concurrent
    `ingest` processes against it (tests/test_concurrent_ingest.py), as on PostgreSQL."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture
def fixtures_dir():
    return FIXTURES


@pytest.fixture
def seed_path():
    return SEED


# ---------------------------------------------------------------- the search index

@pytest.fixture
def fresh_index():
    """The test run's index (see pytest_configure), emptied, so every test starts from nothing.

    Every test uses that one index, on Whoosh and on Solr alike: haystack keeps a
    connection per thread, so the live server's thread would go on reading an
    index that a test swapped in for its own thread only.
    """
    import haystack

    backend = haystack.connections["default"].get_backend()
    backend.clear()
    yield backend


@pytest.fixture
def indexed_stories(db, fresh_index):
    """tests/fixtures/search/stories.json stored, its entities alone in the registry, and indexed."""
    from archives import load_stories, store_archive

    from search.indexing import update_stories

    stories = store_archive(load_stories(), only_its_entities=True)
    update_stories([story.pk for story in stories.values()])
    return stories


@pytest.fixture
def search_archive(db, fresh_index):
    """tests/fixtures/search_page/archive.json stored beside the registry, alone in the index."""
    from archives import load_archive, store_archive

    from search.indexing import update_stories

    stories = store_archive(load_archive())
    update_stories([story.pk for story in stories.values()])
    return stories


# ---------------------------------------------------------------- the browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
BROWSER_TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium, driven by Playwright, for one browser test module.

    Never a downloaded browser (no `playwright install`); skipped when chromium is missing,
    unless ARCHIVE_REQUIRE_BROWSER=1 makes that a failure. Playwright's sync API runs an
    event loop in this thread, beside which Django's ORM refuses to run unless told it is
    safe (it is: one thread). So the switch is on while a browser module runs, and the loop
    is stopped with it: the other tests run with Django's check in place.
    """
    if not shutil.which(CHROMIUM):
        if os.environ.get("ARCHIVE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and ARCHIVE_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def browser_page(chromium):
    """A fresh browser tab (its own cookies), closed after the test."""
    context = chromium.new_context()
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def split_matches_expectation():
    """Asserts that a digest fixture splits as the JSON file beside it says an editor expects: the
    date the file states (null for none), each story's headline and the openings of its paragraphs,
    the reads, and, where given, the title and openings of front matter that must not be stories."""
    import datetime
    import json

    from digest.ingest.readers import read_document
    from digest.ingest.splitter import split_digest

    def check(path):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        digest = split_digest(read_document(path.name, path.read_bytes()))

        assert digest.date == (expected["date"] and datetime.date.fromisoformat(expected["date"]))
        if expected.get("title"):
            assert digest.title == expected["title"]
        for start in expected.get("front_matter_starts", []):
            assert any(part.startswith(start) for part in digest.front_matter), (start, digest.front_matter)
        assert [story.headline for story in digest.stories] == [story["headline"] for story in expected["stories"]]
        for story, wanted in zip(digest.stories, expected["stories"]):
            starts = wanted["paragraph_starts"]
            assert len(story.paragraphs) == len(starts), (story.headline, story.paragraphs)
            for paragraph, start in zip(story.paragraphs, starts):
                assert paragraph.startswith(start), (story.headline, paragraph)
        assert [(read.outlet, read.title, read.url) for read in digest.recommended_reads] == [
            (read["outlet"], read["title"], read["url"]) for read in expected["reads"]
        ]

    return check


@pytest.fixture
def near_duplicate_digests(db, fresh_index, fixtures_dir, django_capture_on_commit_callbacks):
    """tests/fixtures/near_duplicates/: two days' digests whose stories retell three events
    (linked at ingest) beside one that is not retold, stored and indexed; (first, next) digest."""
    from digest.ingest.service import ingest_input
    from digest.ingest.sources import InputFile

    digests = []
    for name in ("2015-01-20-first-day.md", "2015-01-21-next-day.md"):
        path = fixtures_dir / "near_duplicates" / name
        with django_capture_on_commit_callbacks(execute=True):
            outcome = ingest_input(InputFile(path.name, path.read_bytes(), None))
        assert outcome.status == "created", outcome.error
        digests.append(outcome.digest)
    return tuple(digests)
