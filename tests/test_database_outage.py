"""PostgreSQL stopped mid-run: pages answer 503, ingest reports the file and exits 1, and service
resumes by itself when the database is back.

A throwaway PostgreSQL server of the test's own (initdb on a free port, a copy of the test
database), so stopping it disturbs nothing else; the production server (gunicorn, one worker
keeping its connection: conn_max_age) and `ingest` run against it as child processes. Runs in
the PostgreSQL suite (.ci/postgres.sh), as root, which may run the server as `postgres`.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from archive.errors import DATABASE_UNAVAILABLE
from digest.ingest.outages import DATABASE_DOWN

ROOT = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://..."),
    pytest.mark.skipif(PG_BIN is None or os.geteuid() != 0, reason="needs PostgreSQL's binaries and root"),
    pytest.mark.django_db,
]

HOLD = """
import sys, time, django
from pathlib import Path
django.setup()
from django.core.management import call_command
from digest.ingest import service

parse = service._parse

def parse_then_wait(*args, **kwargs):
    outcome = parse(*args, **kwargs)
    Path(sys.argv[1], "parsed").touch()
    while not Path(sys.argv[1], "go").exists():
        time.sleep(0.02)
    return outcome

service._parse = parse_then_wait
try:
    call_command("ingest", "--jobs", "0", *sys.argv[2:])
except SystemExit as exit:
    sys.exit(exit.code)
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A PostgreSQL server in a directory of its own, run as the postgres user."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()

    def run(self, *command, **kwargs):
        return subprocess.run(command, user="postgres", check=True, capture_output=True, text=True,
                              cwd=self.directory, **kwargs)

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-o", options,
                 "-l", str(self.directory / "log"), "-w", "start")

    def stop(self):
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.directory / "data"), "-m", "fast", "-w", "stop")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/archive"


@pytest.fixture
def own_postgres():
    directory = Path(tempfile.mkdtemp(prefix="archive-pg-outage-"))
    shutil.chown(directory, "postgres", "postgres")
    server = Server(directory)
    try:
        server.run(str(PG_BIN / "initdb"), "-D", str(directory / "data"), "-A", "trust", "-U", "postgres",
                   "--no-sync", "-E", "UTF8")
        server.start()
        server.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(server.port), "archive")
        db = connection.settings_dict  # the test database, migrated: its copy is the archive
        dump = subprocess.run(
            [str(PG_BIN / "pg_dump"), "--no-owner", "--no-privileges", "-h", db["HOST"], "-p", str(db["PORT"]),
             "-U", db["USER"], db["NAME"]],
            env={**os.environ, "PGPASSWORD": db["PASSWORD"]}, check=True, capture_output=True, text=True).stdout
        server.run(str(PG_BIN / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(server.port),
                   "archive", input=dump)
        yield server
    finally:
        subprocess.run([str(PG_BIN / "pg_ctl"), "-D", str(directory / "data"), "-m", "immediate", "stop"],
                       user="postgres", capture_output=True)
        shutil.rmtree(directory, ignore_errors=True)


def environment(server, index):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        SECRET_KEY="database-outage-test-key-0123456789-abcdefghijklmnopqrstuvwxyz", DEBUG="False",
        SECURE_SSL_REDIRECT="false", ALLOWED_HOSTS="127.0.0.1", ARCHIVE_PUBLIC="true",
        DATABASE_URL=server.url + "?conn_max_age=600", SEARCH_URL=f"whoosh://{index}",
        WEB_CONCURRENCY="1", GUNICORN_THREADS="1",
    )
    return env


def get(port, path):
    """(status, body) of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def serving(own_postgres, tmp_path):
    port = free_port()
    env = {**environment(own_postgres, tmp_path / "index"), "BIND": f"127.0.0.1:{port}"}
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "--no-control-socket", "archive.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.3)
    try:
        yield port, env
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)


def test_postgresql_stopped_mid_run(own_postgres, serving, seed_path, tmp_path):
    port, env = serving
    assert get(port, "/")[0] == 200
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    ingest = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(rendezvous), "--date", "2014-11-26", str(seed_path)],
        cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "archive.settings"}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not (rendezvous / "parsed").exists():  # it has checked the file against the database, and parsed it
        assert ingest.poll() is None and time.monotonic() < deadline, ingest.communicate()
        time.sleep(0.05)

    own_postgres.stop()
    (rendezvous / "go").touch()
    out, err = ingest.communicate(timeout=120)
    assert ingest.returncode == 1
    assert f"{seed_path}: error: {DATABASE_DOWN}" in err
    assert "Traceback" not in err and out.strip().endswith("1 file: 1 error")

    status, page = get(port, "/")
    assert status == 503 and "The archive is briefly unavailable" in page
    assert DATABASE_UNAVAILABLE.replace("'", "&#x27;") in page
    assert get(port, "/healthz") == (503, '{"database": "down", "search": "ok"}')
    assert get(port, "/api/search/?q=Aleppo")[0] == 200  # a public archive's search needs only the index

    own_postgres.start()
    assert get(port, "/")[0] == 200
    assert get(port, "/healthz") == (200, '{"database": "ok", "search": "ok"}')
    # A restart between two requests: the kept connection is found dead and replaced (CONN_HEALTH_CHECKS).
    own_postgres.stop()
    own_postgres.start()
    assert get(port, "/")[0] == 200

    done = subprocess.run([sys.executable, "manage.py", "ingest", "--jobs", "0", "--date", "2014-11-26", str(seed_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().endswith("1 file: 1 created")
    assert "Proposal for Refugee" in get(port, "/api/search/?q=refugee")[1]
