"""digest.ingest.outages: a full disk or a database gone while a digest is stored.

The faults are injected where they strike: the database's write path (Django's execute
wrapper raises what SQLite raises on a full disk or a missing database) and the search index's
files (every write fails with ENOSPC, as on a full filesystem). The file is reported with a
message a person can act on, nothing is half-saved, and the next ingest works.
"""
import errno
import os
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import reverse
from whoosh.filedb.filestore import FileStorage

from digest.ingest.outages import DATABASE_DOWN, DISK_FULL, outage_message
from digest.models import Digest, Mention, RecommendedRead, Story
from search.query import search
from search.results import SearchParams
from search.whoosh.integrity import check_files

SEED_DATE = "2014-11-26"


def run_ingest(capsys, *args):
    try:
        call_command("ingest", "--jobs", "0", *args)
        status = 0
    except SystemExit as exit:
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def counts():
    return Digest.objects.count(), Story.objects.count(), RecommendedRead.objects.count(), Mention.objects.count()


@contextmanager
def failing_sql(message, when=lambda sql: True):
    """Every statement `when` picks fails as the database fails it (SQLite's own words)."""
    def execute(run, sql, params, many, context):
        if when(sql):
            raise OperationalError(message)
        return run(sql, params, many, context)

    with connection.execute_wrapper(execute):
        yield


def inserting_mentions(sql):
    """The last rows a digest's transaction writes: by then its digest, stories and reads are written."""
    return sql.startswith('INSERT INTO "digest_mention"')


class FullDisk:
    """A file on a filesystem with no space left: every write fails as the operating system fails it."""

    def __init__(self, file):
        self._file = file

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self._file, name)


@pytest.fixture
def full_index_disk(monkeypatch):
    """Every file the search index writes (segments, table of contents, sorting pools) fails with ENOSPC."""
    create_file = FileStorage.create_file

    def create_on_a_full_disk(self, name, *args, **kwargs):
        created = create_file(self, name, *args, **kwargs)
        created.file = FullDisk(created.file)
        return created

    monkeypatch.setattr(FileStorage, "create_file", create_on_a_full_disk)
    return monkeypatch


@pytest.mark.django_db
def test_a_full_disk_while_storing_rolls_the_file_back_and_says_so(capsys, seed_path):
    with failing_sql("database or disk is full", when=inserting_mentions):
        status, out, err = run_ingest(capsys, "--date", SEED_DATE, str(seed_path))
    assert status == 1
    assert f"{seed_path}: error: {DISK_FULL}" in err
    assert "Traceback" not in err
    assert out.strip().endswith("1 file: 1 error")
    assert counts() == (0, 0, 0, 0)

    status, out, _ = run_ingest(capsys, "--date", SEED_DATE, str(seed_path))
    assert status == 0 and out.strip().endswith("1 file: 1 created")
    assert counts()[:3] == (1, 3, 6)


@pytest.mark.django_db
def test_a_database_that_cannot_be_opened_is_reported_for_every_file_and_exits_one(capsys, seed_path, fixtures_dir):
    other = fixtures_dir / "service" / "2014-12-03-digest.txt"
    with failing_sql("unable to open database file"):
        status, out, err = run_ingest(capsys, "--date", SEED_DATE, str(seed_path), str(other))
    assert status == 1
    assert f"{seed_path}: error: {DATABASE_DOWN}" in err
    assert f"{other}: error: {DATABASE_DOWN}" in err
    assert out.strip().endswith("2 files: 2 error")
    assert counts() == (0, 0, 0, 0)

    status, out, _ = run_ingest(capsys, "--date", SEED_DATE, str(seed_path), str(other))
    assert status == 0 and out.strip().endswith("2 files: 2 created")


@pytest.mark.skipif("PATH" not in settings.HAYSTACK_CONNECTIONS["default"], reason="the Whoosh index's own files")
@pytest.mark.django_db(transaction=True)
def test_a_full_disk_while_indexing_keeps_the_digest_pending_until_the_next_ingest(
        capsys, fresh_index, full_index_disk, seed_path, fixtures_dir):
    status, out, err = run_ingest(capsys, "--date", SEED_DATE, str(seed_path))
    assert status == 1
    assert f"{seed_path}: created: 2014-11-26" in out
    assert ("1 of the digests stored are not in the search index yet: indexing failed (see the log above). "
            "They were stored whole; the next ingest, or `manage.py check_index --fix`, indexes them.") in err
    assert counts()[:3] == (1, 3, 6)
    assert Digest.objects.get().index_pending
    assert check_files(fresh_index.storage) is not None  # the index is as it was: whole, and empty
    assert search(SearchParams()).total == 0

    full_index_disk.undo()  # space freed: the next ingest, in the same process, writes the index
    status, out, err = run_ingest(capsys, str(fixtures_dir / "service" / "2014-12-03-digest.txt"))
    assert (status, err) == (0, "")
    assert "Indexed 3 stories that an interrupted run had stored but not indexed." in out
    assert search(SearchParams()).total == Story.objects.count() == 5
    assert not Digest.objects.filter(index_pending=True).exists()


@pytest.mark.django_db
def test_a_full_disk_while_an_upload_is_stored_keeps_the_file_for_another_try(admin_client, seed_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    review = admin_client.post(reverse("admin:digest_digest_upload"), {
        "files": [SimpleUploadedFile(seed_path.name, seed_path.read_bytes())], "date": SEED_DATE,
    })
    store_url = reverse("admin:digest_digest_upload_store", args=[review.url.rstrip("/").rsplit("/", 1)[-1]])
    with failing_sql("database or disk is full", when=inserting_mentions):
        response = admin_client.post(store_url, {})
    assert response.status_code == 200
    assert [(o.file, o.status, o.error) for o in response.context["outcomes"]] == [(seed_path.name, "error", DISK_FULL)]
    assert DISK_FULL in response.content.decode()
    assert counts() == (0, 0, 0, 0)

    response = admin_client.post(store_url, {})  # the file stayed in the upload for another try
    assert [(o.file, o.status) for o in response.context["outcomes"]] == [(seed_path.name, "created")]
    assert counts()[:3] == (1, 3, 6)


@pytest.mark.parametrize("error, message", [
    (OperationalError("database or disk is full"), DISK_FULL),
    (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
    (OperationalError('could not extend file "base/16384/2619": No space left on device'), DISK_FULL),
    (OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused"), DATABASE_DOWN),
    (OperationalError("database is locked"), DATABASE_DOWN),
    (ValueError("a bug"), None),
])
def test_outage_messages(error, message):
    assert outage_message(error) == message


def test_a_full_disk_is_found_behind_the_error_it_caused():
    try:
        try:
            raise OSError(errno.ENOSPC, "No space left on device")
        except OSError as cause:
            raise RuntimeError("the writer failed") from cause
    except RuntimeError as error:
        assert outage_message(error) == DISK_FULL
