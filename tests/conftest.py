import os
import shutil
import tempfile
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_b7d1722ab27881cd.txt"


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
