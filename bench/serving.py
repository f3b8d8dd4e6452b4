"""Throughput of the search API through the production server (gunicorn) beside Django's runserver.

    .venv/bin/python bench/serving.py [--requests 300] [--concurrency 4] [--workers 3] [--port 8765]

Over loopback only, bounded in requests and time. Builds its own archive in var/bench/serving/
(a SQLite database and a Whoosh index: the seed and the fixture digests), an analyst with an API
token, then for each server: starts it on 127.0.0.1 with DEBUG off and the archive private, waits
for /healthz, warms up, and sends the same GET /api/search/ requests (a few queries in turn, with
`Authorization: Token`) from `--concurrency` threads. Requests carry X-Forwarded-Proto: https as
the reverse proxy would (SECURE_PROXY_SSL_HEADER), so the HTTPS redirect stays on as deployed.
Prints requests/s and latency p50/p95 per server; every answer must be 200 with the expected total.
"""
import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "serving"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
QUERIES = ["/api/search/?q=Aleppo", "/api/search/", "/api/search/?place=Syria", "/api/search/?q=ceasefire&sort=newest"]
STARTUP_SECONDS = 60
TIME_LIMIT_SECONDS = 300


def environment(work=WORK, **extra):
    """The production server's settings over the archive in `work`: DEBUG off, the archive private,
    behind the README's reverse proxy (the HTTPS redirect stays on, the proxy says https)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("SECURE_", "DJANGO_"))}
    env.update(
        DATABASE_URL=f"sqlite:///{work / 'archive.sqlite3'}",
        SEARCH_URL=f"whoosh://{work / 'whoosh_index'}",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ARCHIVE_PUBLIC="false",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        ALLOWED_HOSTS="127.0.0.1",
        **extra,
    )
    return env


def manage(env, *args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout


def build_archive(env):
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_search")
    manage(env, "ingest", "--date", "2014-11-26", "seeds/")
    subprocess.run([PYTHON, "manage.py", "ingest", *sorted(str(p) for p in (ROOT / "tests/fixtures/digests").glob("20*.*"))],
                   cwd=ROOT, env=env, capture_output=True)
    manage(env, "shell", "--no-imports", "-c",
           "from django.contrib.auth.models import Group, User; "
           "User.objects.create_user('bench', password=None).groups.add(Group.objects.get(name='Analysts'))")
    return manage(env, "create_api_token", "bench").strip()


def get(port, path, token):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Authorization": f"Token {token}", "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_until_healthy(port, server):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if get(port, "/healthz", "")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("the server did not answer /healthz in time")


def measure(port, token, requests, concurrency, expected):
    latencies, failures, lock = [], [], threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + TIME_LIMIT_SECONDS

    def worker():
        for n in counter:
            if time.monotonic() > deadline:
                return
            path = QUERIES[n % len(QUERIES)]
            started = time.perf_counter()
            status, body = get(port, path, token)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 200 or json.loads(body)["total"] != expected[path]:
                    failures.append((path, status))

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} bad answers, e.g. {failures[:3]}")
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
    }


def run_server(name, command, env, port, token, args):
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        wait_until_healthy(port, server)
        expected = {}
        for path in QUERIES:  # warm-up (every worker reads the index into its own memory), and the totals to repeat
            for _ in range(3 * args.workers):
                status, body = get(port, path, token)
                assert status == 200, (name, path, status, body[:200])
            expected[path] = json.loads(body)["total"]
        return measure(port, token, args.requests, args.concurrency, expected)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (WEB_CONCURRENCY)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (GUNICORN_THREADS)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    env = environment()
    token = build_archive(env)
    bind = f"127.0.0.1:{args.port}"
    servers = {
        "runserver (threaded)": [PYTHON, "manage.py", "runserver", "--noreload", bind],
        f"gunicorn ({args.workers}x{args.threads} threads)": [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py",
                                               "--access-logfile", "/dev/null", "--no-control-socket", "archive.wsgi"],
    }
    server_env = dict(env, BIND=bind, WEB_CONCURRENCY=str(args.workers), GUNICORN_THREADS=str(args.threads))
    print(f"GET /api/search/ ({len(QUERIES)} queries in turn), {args.requests} requests, {args.concurrency} clients")
    for name, command in servers.items():
        result = run_server(name, command, server_env, args.port, token, args)
        print(f"{name:24} {result['per_second']:7.1f} req/s   p50 {result['p50_ms']:6.1f} ms   p95 {result['p95_ms']:6.1f} ms"
              f"   ({result['requests']} requests)")


if __name__ == "__main__":
    main()
