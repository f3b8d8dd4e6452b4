"""The production server: gunicorn with deploy/gunicorn.conf.py answers /healthz and logs one line per request."""
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
KEY = "gunicorn-smoke-test-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_serves_healthz_and_logs_each_request_with_its_time(tmp_path):
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        SECRET_KEY=KEY, DEBUG="False", ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'archive.sqlite3'}", SEARCH_URL=f"whoosh://{tmp_path / 'index'}",
        BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1",
    )
    subprocess.run([sys.executable, "manage.py", "setup_search"], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "--no-control-socket", "archive.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    assert (response.status, response.read()) == (200, b'{"database": "ok", "search": "ok"}')
                    assert response.headers["Server"].startswith("gunicorn")
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        # Anything else over plain HTTP goes to HTTPS, as deployed.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/search/", method="HEAD")
        opener = urllib.request.build_opener(NoRedirect)
        assert opener.open(request).status == 301
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        log, _ = server.communicate(timeout=30)
    assert re.search(r'^127\.0\.0\.1 "GET /healthz HTTP/1\.1" 200 34 \d+ms$', log, re.MULTILINE), log[-2000:]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def http_error_301(self, req, fp, code, msg, headers):
        return fp


def test_gunicorn_refuses_to_start_on_the_built_in_key(tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "SECURE_"))}
    env.pop("SECRET_KEY", None)
    env.update(DEBUG="False", BIND=f"127.0.0.1:{free_port()}", WEB_CONCURRENCY="1",
               DATABASE_URL=f"sqlite:///{tmp_path / 'archive.sqlite3'}", SEARCH_URL=f"whoosh://{tmp_path / 'index'}")
    done = subprocess.run([str(GUNICORN), "--config", "deploy/gunicorn.conf.py", "--no-control-socket", "archive.wsgi"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "SECRET_KEY is not set" in done.stderr and "refuses to start" in done.stderr
