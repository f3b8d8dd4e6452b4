"""What only a real database server shows: concurrent ingestion and all-or-nothing saves.

SQLite serialises every writer, so these run only when DATABASE_URL names
PostgreSQL (.ci/postgres.sh). The two ingestions run in fresh Python processes
with connections of their own, against committed data (transaction=True).
"""
import datetime
import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from digest.ingest import service
from digest.ingest.service import CREATED, DUPLICATE, ERROR, ingest_input
from digest.ingest.sources import InputFile
from digest.models import Digest, Mention, RecommendedRead, Story

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True),
]

SEED_DATE = datetime.date(2014, 11, 26)
CHILD = "import sys, django; django.setup(); import test_postgres_concurrency as t; t.ingest_in_step(*sys.argv[1:])"


def counts():
    return Digest.objects.count(), Story.objects.count(), RecommendedRead.objects.count(), Mention.objects.count()


def ingest_in_step(path, rendezvous):
    """In a child process: parse the file, wait until the other child has parsed it too, store.

    Both have then passed the "already ingested?" check before either stores, so the
    database's constraints alone must keep the second copy out. Prints the outcome as JSON.
    """
    from test_concurrent_ingest import hold_after_parsing

    hold_after_parsing(rendezvous)
    outcome = ingest_input(InputFile(Path(path).name, Path(path).read_bytes(), None), date=SEED_DATE)
    print(json.dumps([outcome.status, outcome.digest.pk if outcome.digest else None, outcome.error]))


def test_two_processes_ingesting_the_same_file_store_one_digest(seed_path, tmp_path):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(settings.BASE_DIR)]),
    }
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(seed_path), str(tmp_path)], env=env, cwd=settings.BASE_DIR,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    finished = [child.communicate(timeout=180) for child in children]

    assert [child.returncode for child in children] == [0, 0], [err[-2000:] for _, err in finished]
    outcomes = sorted(json.loads(out.strip().splitlines()[-1]) for out, _ in finished)
    assert [status for status, _, _ in outcomes] == [CREATED, DUPLICATE], outcomes
    digest = Digest.objects.get()
    assert {digest_id for _, digest_id, _ in outcomes} == {digest.pk}
    assert "already ingested" in outcomes[1][2]
    assert counts()[:3] == (1, 3, 6)


def test_a_failure_mid_ingest_leaves_nothing_saved(seed_path, monkeypatch):
    written = []
    save_contents = service._save_contents

    def save_contents_then_fail(digest, outcome):
        written.append(save_contents(digest, outcome))  # stories, reads and mentions, uncommitted
        written.append(counts())
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "_save_contents", save_contents_then_fail)
    item = InputFile(seed_path.name, seed_path.read_bytes(), None)

    outcome = ingest_input(item, date=SEED_DATE)

    assert (outcome.status, outcome.digest) == (ERROR, None)
    assert "RuntimeError: disk full" in outcome.error
    story_ids, inside = written
    assert len(story_ids) == 3 and inside[:3] == (1, 3, 6) and inside[3] > 0
    assert counts() == (0, 0, 0, 0)
    # The same file then goes in whole, as if the failed attempt never happened.
    monkeypatch.undo()
    assert ingest_input(item, date=SEED_DATE).status == CREATED
    assert counts() == inside
