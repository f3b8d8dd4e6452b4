"""Searches while another process ingests, commits and merges the index: no request fails.

A child process ingests digests one file at a time (a commit each, merged by tier as commits
pile up) and merges every segment into one (optimize) every few files, while threads of this
process search through the API. Every answer is 200, and each thread sees the total only grow.
The index is Whoosh's (segments and merges are its own); Solr answers from its own replicas.
"""
import datetime
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings
from django.test import Client
from test_concurrent_ingest import environment, write_digests

from digest.models import Story

pytestmark = [
    pytest.mark.skipif("PATH" not in settings.HAYSTACK_CONNECTIONS["default"], reason="Whoosh's segments and merges"),
    pytest.mark.django_db(transaction=True),
]

FILES = 6
MERGE_EVERY = 2
SEARCHERS = 3

WRITER = """
import sys, django
django.setup()
from django.core.management import call_command
from haystack import connections

for n, path in enumerate(sys.argv[1:], start=1):
    try:
        call_command("ingest", "--jobs", "0", path, verbosity=0)
    except SystemExit as exit:
        sys.exit(exit.code)
    if n % %(merge_every)d == 0:
        connections["default"].get_backend().optimize()
        print("merged", flush=True)
""".replace("%(merge_every)d", str(MERGE_EVERY))


def test_searches_answer_while_another_process_commits_and_merges(tmp_path, fresh_index):
    files = write_digests(tmp_path / "digests", datetime.date(2016, 1, 1), FILES)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, *map(str, files)], env=environment(),
                              cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answers = [[] for _ in range(SEARCHERS)]

    def search(seen):
        client = Client()
        while writer.poll() is None:
            response = client.get("/api/search/", {"q": "shelled", "place": "Aleppo"} if len(seen) % 2 else
                                  {"q": "shelled"})
            seen.append((response.status_code, response.json().get("total") if response.status_code == 200
                         else response.content[:300], len(seen) % 2))
            time.sleep(0.01)

    threads = [threading.Thread(target=search, args=(seen,)) for seen in answers]
    for thread in threads:
        thread.start()
    out, err = writer.communicate(timeout=300)
    for thread in threads:
        thread.join()

    assert writer.returncode == 0, err[-2000:]
    assert [line for line in out.splitlines() if line == "merged"] == ["merged"] * (FILES // MERGE_EVERY)
    for seen in answers:
        assert seen and all(status == 200 for status, _, _ in seen), [a for a in seen if a[0] != 200][:3]
        for narrowed in (0, 1):
            totals = [total for _, total, kind in seen if kind == narrowed]
            assert totals == sorted(totals)  # commits only add stories: a total never goes back
    assert sum(len(seen) for seen in answers) > FILES
    assert Story.objects.count() == 3 * FILES
    assert Client().get("/api/search/", {"q": "shelled"}).json()["total"] == 3 * FILES
