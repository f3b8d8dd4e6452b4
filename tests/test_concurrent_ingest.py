"""Real `manage.py ingest` processes at once, and ones that are killed: on SQLite and on PostgreSQL.

Each test runs commands in fresh Python processes with connections of their own, against
the committed test database (transaction=True; on SQLite a file, see conftest.py) and the
test run's search index, as editors' shells would.
"""
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from digest.models import Digest, Story

pytestmark = pytest.mark.django_db(transaction=True)

SEED_DATE = "2014-11-26"
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
PLACES = ["Aleppo", "Homs", "Raqqa", "Idlib", "Daraa", "Hama", "Kobani", "Palmyra", "Latakia", "Manbij"]


def environment():
    """The test database's and index's settings for a child process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{db['NAME']}"
    else:
        database_url = (f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'])}@{db['HOST']}:{db['PORT']}/"
                        f"{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": database_url,
           "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(settings.BASE_DIR)])}
    search = settings.HAYSTACK_CONNECTIONS["default"]
    if "PATH" in search:  # Whoosh: the run's own index directory (conftest.py), not var/
        env["SEARCH_URL"] = f"whoosh://{search['PATH']}"
    return env


def ingest(*args, **popen):
    return subprocess.Popen([sys.executable, MANAGE, "ingest", *map(str, args)], env=environment(),
                            cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            **popen)


def write_digests(directory, first_day, count):
    """`count` one-day text digests from `first_day`, three stories each, every story its own."""
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        day = first_day + datetime.timedelta(days=n)
        lines = [f"{day:%A, %B} {day.day}, {day.year}"]
        for story in range(3):
            place = PLACES[(n + story) % len(PLACES)]
            lines += [
                f"Shelling Near {place} Enters Day {day.toordinal() % 1000 + story}",
                f"Government forces shelled {place} for a {day:%A} in a row, Reuters reports, and residents "
                f"said convoy {n}-{story} could not reach the town.",
                f"Aid agencies said the siege of {place} had cut off water and bread.",
            ]
        (directory / f"{day}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(directory.iterdir())


def stories_in_search(q):
    from search.query import search
    from search.results import SearchParams

    return search(SearchParams(q=q)).total


def index_report():
    from io import StringIO

    out = StringIO()
    call_command("check_index", stdout=out)
    return out.getvalue()


def test_three_ingests_at_once_store_every_file_while_searches_answer(tmp_path, fresh_index):
    for editor in range(3):
        write_digests(tmp_path / f"editor{editor}", datetime.date(2015 + editor, 1, 1), 20)
    processes = [ingest("--jobs", 0, tmp_path / f"editor{editor}") for editor in range(3)]

    searches = 0
    while any(process.poll() is None for process in processes):
        assert stories_in_search("shelled") in range(0, 181)  # answers, whatever the writers have got to
        searches += 1
        time.sleep(0.05)
    finished = [process.communicate() for process in processes]

    assert [process.returncode for process in processes] == [0, 0, 0], [err[-2000:] for _, err in finished]
    for out, err in finished:
        assert out.strip().endswith("20 files: 20 created")
        assert "error" not in err
    assert searches > 0
    assert Digest.objects.count() == 60 and Story.objects.count() == 180
    assert stories_in_search("shelled") == 180
    assert "The index is up to date." in index_report()


def hold_after_parsing(rendezvous):
    """In a child process: each file, once parsed, waits until the other child has parsed too, so
    both pass the "already stored?" check before either stores (test_postgres_concurrency uses it too)."""
    from digest.ingest import service

    parse = service._parse

    def parse_then_wait(*args, **kwargs):
        outcome = parse(*args, **kwargs)
        Path(rendezvous, str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while len(os.listdir(rendezvous)) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        return outcome

    service._parse = parse_then_wait


RACE = """
import sys, django
django.setup()
from django.core.management import call_command
from test_concurrent_ingest import hold_after_parsing

hold_after_parsing(sys.argv[1])
try:
    call_command("ingest", *sys.argv[2:])
except SystemExit as exit:
    sys.exit(exit.code)
"""


def test_two_processes_ingesting_the_same_file_give_created_and_duplicate(seed_path, tmp_path, fresh_index):
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    processes = [
        subprocess.Popen([sys.executable, "-c", RACE, str(rendezvous), "--jobs", "0", "--date", SEED_DATE,
                          str(seed_path)], env={**environment(), "DJANGO_SETTINGS_MODULE": "archive.settings"},
                         cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    finished = [process.communicate(timeout=180) for process in processes]

    assert [process.returncode for process in processes] == [0, 0], [err[-2000:] for _, err in finished]
    outs = sorted(out for out, _ in finished)
    assert "1 file: 1 created" in outs[0]
    assert "1 file: 1 duplicate" in outs[1] and "already ingested" in outs[1]
    assert Digest.objects.count() == 1 and Story.objects.count() == 3


def wait_for_lines(process, count, pattern=": created: "):
    """Read the command's report until `count` files were stored; returns the lines read."""
    lines = []
    while sum(pattern in line for line in lines) < count:
        line = process.stdout.readline()
        assert line, f"the command ended early: {lines} {process.stderr.read()[-2000:]}"
        lines.append(line)
    return lines


# Enough files that the signal lands mid-run even when a busy machine delays it by seconds (60 were
# once all stored before it, on a loaded machine, as extraction got faster).
INTERRUPTED_FILES = 150


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill -9", "ctrl-c"])
def test_an_interrupted_load_resumes_where_it_stopped(stop, tmp_path, fresh_index):
    files = write_digests(tmp_path / "archive", datetime.date(2016, 3, 1), INTERRUPTED_FILES)
    first = ingest("--jobs", 1, tmp_path / "archive", start_new_session=True)
    wait_for_lines(first, 5)
    # Ctrl-C reaches the whole process group, workers included; kill -9 only the command.
    if stop == signal.SIGINT:
        os.killpg(first.pid, signal.SIGINT)
    else:
        first.send_signal(stop)
    out, err = first.communicate(timeout=120)
    stored_before = Digest.objects.count()
    assert 5 <= stored_before < INTERRUPTED_FILES
    if stop == signal.SIGINT:
        assert first.returncode == 130
        assert "Interrupted. What was stored stays; run the same command again" in err
        assert stories_in_search("shelled") == 3 * stored_before, err[-3000:]  # what was committed, it indexed
    else:
        assert first.returncode == -signal.SIGKILL
        assert stories_in_search("shelled") == 0  # killed before its batch reached the index

    again = ingest("--jobs", 1, "--json", tmp_path / "archive")
    out, err = again.communicate(timeout=300)

    assert again.returncode == 0, err[-2000:]
    statuses = [(Path(d["file"]).name, d["status"]) for d in json.loads(out)["digests"]]
    assert statuses == [(f.name, "duplicate" if n < stored_before else "created") for n, f in enumerate(files)]
    assert Digest.objects.count() == INTERRUPTED_FILES
    assert sorted(Digest.objects.values_list("file_name", flat=True)) == [f.name for f in files]
    assert Story.objects.count() == 3 * INTERRUPTED_FILES
    assert stories_in_search("shelled") == 3 * INTERRUPTED_FILES
    assert not Digest.objects.filter(index_pending=True).exists()
    assert "The index is up to date." in index_report()
