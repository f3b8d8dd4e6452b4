"""An analysts' team against the production server: 16 clients for 2 minutes, over loopback.

    make bench-requirements    # locust, into .venv (bench/requirements.txt; not a dependency of the site)
    .venv/bin/python bench/load.py [--stories 100000] [--server gunicorn|runserver|both]
                                   [--users 16] [--seconds 120] [--max-requests 40000]
                                   [--workers N] [--threads N] [--port 8766] [--work DIR]

Builds (once, then reuses) an archive of --stories generated stories (bench/corpus.py: stored
through the models, indexed through search.indexing) in --work (default var/bench/load-N), and
an analyst with a session and an API token. Then, for each server: starts it on 127.0.0.1 with
DEBUG off and the archive private (gunicorn exactly as `make serve` runs it, with
deploy/gunicorn.conf.py; or `runserver --noreload`, threaded), waits for /healthz, and runs
locust headless as a library: --users clients, each choosing its next request from MIX by
weight. Query words and facet values are drawn from the archive itself (the index's own
facet counts and the stored headlines). The run stops after --seconds or --max-requests,
whichever comes first.

Prints requests/s, p50/p95/p99 and errors per kind of request, and the resident memory
(/proc/PID/status VmRSS) of every server process after warm-up and at the end. An error is
any answer other than the kind's expected status, or a body that is not what the kind
promises (JSON with a total, a page with the story's headline).
"""
import argparse
import html
import http.client
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# This file lives beside bench/search.py, which must not shadow the search app.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
from bench.corpus import tag  # noqa: E402  (after the path is set)
from bench.serving import environment  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
STARTUP_SECONDS = 120


# ------------------------------------------------------------------ the archive (a child process)

def build_child(work, stories):
    """Store and index the generated corpus into `work` (runs with DATABASE_URL/SEARCH_URL set)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from bench.corpus import build_corpus, store_corpus
    from digest.models import Story
    from search.indexing import update_stories

    call_command("migrate", verbosity=0)
    call_command("setup_search", verbosity=0)
    started = time.perf_counter()
    store_corpus(build_corpus(stories))
    print(f"stored {stories} stories in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    update_stories(Story.objects.order_by("pk").values_list("pk", flat=True))
    print(f"indexed them in {time.perf_counter() - started:.0f} s", flush=True)
    (work / "built").write_text(tag(stories))


def build_archive(work, stories):
    if (work / "built").exists() and (work / "built").read_text() == tag(stories):
        return
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    subprocess.run([PYTHON, __file__, "--build-child", "--stories", str(stories), "--work", str(work)],
                   cwd=ROOT, env=environment(work), check=True)


# ------------------------------------------------------------------ what the analysts ask for

def prepare_child(work, users):
    """Sample the archive and sign the analyst in: work/sample.json for the load (runs with the archive's env)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    import django

    django.setup()
    (work / "sample.json").write_text(json.dumps(draw_sample(users), ensure_ascii=False))


def draw_sample(users, seed=14):
    """What the clients ask for, drawn from the archive, and their credentials: a session per client
    and an API token for one analyst.

    Words come from stored headlines, facet values from the index's own facet counts (the
    browse-everything search), so every request asks for something the archive holds.
    """
    import random

    from django.contrib.auth.models import Group, User
    from django.http import QueryDict
    from django.test import Client

    from accounts.tokens import issue_token
    from digest.models import Digest, Entity, Story
    from search.params import parse_params
    from search.query import search
    from search.text import words

    rng = random.Random(seed)
    user, _ = User.objects.get_or_create(username="load-analyst")
    user.groups.add(Group.objects.get(name="Analysts"))
    sessions = []
    for _ in range(users):
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)

    def some(model, count):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return model.objects.filter(pk__in=rng.sample(pks, min(count, len(pks)))).order_by("pk")

    stories = list(some(Story, 500))
    facets = search(parse_params(QueryDict())).facets
    return {
        "sessions": sessions,
        "token": issue_token(user),
        "words": sorted({w for s in stories for w in words(s.headline) if len(w) > 3}),
        "facets": {name: [v.value for v in facets[name]][:100] for name in ("place", "actor", "source")},
        "stories": [[s.get_absolute_url(), s.headline] for s in stories],
        "digests": [[d.get_absolute_url(), d.title] for d in some(Digest, 200)],
        "entities": [[e.pk, e.get_absolute_url(), e.name] for e in some(Entity, 200)],
    }


# ------------------------------------------------------------------ the mix

def words_and_facets(rng, sample, facets=0):
    """A search's parameters: one or two archive words, and `facets` selected facet values."""
    params = [("q", " ".join(rng.sample(sample["words"], rng.choice((1, 1, 2)))))]
    for name in rng.sample(sorted(sample["facets"]), facets):
        params.append((name, rng.choice(sample["facets"][name])))
    return params


def search_page(facets):
    return lambda rng, sample: ("/search/", words_and_facets(rng, sample, facets(rng)), 'id="search-summary"')


def api_search(facets):
    return lambda rng, sample: ("/api/search/", words_and_facets(rng, sample, facets(rng)), '"total"')


def facet_click(rng, sample):
    """Browsing by one value (a chip or sidebar value clicked), sometimes narrowed by a second."""
    names = rng.sample(sorted(sample["facets"]), rng.choice((1, 1, 2)))
    return "/search/", [(name, rng.choice(sample["facets"][name])) for name in names], 'id="search-summary"'


def story_page(rng, sample):
    url, headline = rng.choice(sample["stories"])
    return url, [], f"<h1>{html.escape(headline)}</h1>"


def digest_page(rng, sample):
    url, title = rng.choice(sample["digests"])
    return url, [], f"<h1>{html.escape(title)}</h1>"


def entity_page(rng, sample):
    pk, url, name = rng.choice(sample["entities"])
    return url, [], html.escape(name)


def entity_json(rng, sample):
    pk, url, name = rng.choice(sample["entities"])
    return f"/api/entities/{pk}/", [], '"name"'


def csv_export(rng, sample):
    return "/api/search/export.csv", words_and_facets(rng, sample, 2), "id,url,"


NONE, ONE_OR_TWO = (lambda rng: 0), (lambda rng: rng.choice((1, 2)))
# kind: (weight, on?, request). A request is (path, query parameters, text a good answer holds); a good
# answer is 200 and holds that text. A kind is switched off to leave it out of a run.
MIX = {
    "search page": (14, True, search_page(NONE)),
    "search page + facets": (14, True, search_page(ONE_OR_TWO)),
    "facet click": (10, True, facet_click),
    "story page": (20, True, story_page),
    "digest page": (8, True, digest_page),
    "API search": (8, True, api_search(NONE)),
    "API search + facets": (8, True, api_search(lambda rng: 1)),
    "entity page": (10, True, entity_page),
    "entity JSON": (6, True, entity_json),
    "CSV export": (2, True, csv_export),
}
API_PREFIX = "/api/"


# ------------------------------------------------------------------ servers

def children(pid):
    """Every process whose parent is `pid` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return sorted(found)


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def server_processes(kind, pid):
    """The processes that answer requests: gunicorn's workers, or runserver itself."""
    return children(pid) if kind == "gunicorn" else [pid]


def server_command(kind, bind):
    if kind == "gunicorn":  # as `make serve` runs it; its access log goes to a file beside the archive
        return [str(ROOT / ".venv/bin/gunicorn"), "--config", "deploy/gunicorn.conf.py", "--no-control-socket",
                "archive.wsgi"]
    return [PYTHON, "manage.py", "runserver", "--noreload", bind]


def get(port, path, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
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
            if get(port, "/healthz")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not answer /healthz in time")


# ------------------------------------------------------------------ the load (locust, as a library)

def run_load(port, sample, args):
    """Run the mix from --users locust clients; per kind: latencies (s) and failures."""
    import random

    import gevent
    from locust import FastHttpUser, between, task
    from locust.env import Environment

    kinds = {name: (weight, make) for name, (weight, on, make) in MIX.items() if on}
    names, weights = list(kinds), [weight for weight, _ in kinds.values()]
    latencies = {name: [] for name in names}
    failures = {name: [] for name in names}
    seeds = iter(range(10_000))

    class Analyst(FastHttpUser):
        host = f"http://127.0.0.1:{port}"
        wait_time = between(0, 2 * args.think)
        network_timeout = connection_timeout = 60.0

        def on_start(self):
            n = next(seeds)
            self.rng = random.Random(n)
            self.headers = {"X-Forwarded-Proto": "https", "Cookie": f"sessionid={sample['sessions'][n % len(sample['sessions'])]}"}
            self.api_headers = {"X-Forwarded-Proto": "https", "Authorization": f"Token {sample['token']}"}

        @task
        def ask(self):
            kind = self.rng.choices(names, weights)[0]
            path, params, expected = kinds[kind][1](self.rng, sample)
            headers = self.api_headers if path.startswith(API_PREFIX) else self.headers
            address = f"{path}?{urlencode(params)}" if params else path
            started = time.perf_counter()
            with self.client.get(address, headers=headers, name=kind, catch_response=True,
                                 allow_redirects=False) as response:
                latencies[kind].append(time.perf_counter() - started)
                body = response.text or ""
                if response.status_code != 200:
                    problem = f"{response.status_code} for {address}"
                elif expected not in body:
                    problem = f"200 without {expected!r} for {address}"
                else:
                    response.success()
                    return
                failures[kind].append(problem)
                response.failure(problem)

    environment = Environment(user_classes=[Analyst])
    runner = environment.create_local_runner()
    started = time.monotonic()
    runner.start(args.users, spawn_rate=args.users)
    while time.monotonic() - started < args.seconds and environment.stats.total.num_requests < args.max_requests:
        gevent.sleep(0.25)
    runner.quit()
    return latencies, failures, time.monotonic() - started


def percentile(ordered, fraction):
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] * 1000 if ordered else float("nan")


def warm_up(port, sample, processes):
    """Every worker answers a few of each kind before measuring (the index's arrays are built lazily)."""
    headers = {"Cookie": f"sessionid={sample['sessions'][0]}"}
    api = {"Authorization": f"Token {sample['token']}"}
    for n in range(3 * processes):
        q = sample["words"][n % len(sample["words"])]
        for path in (f"/search/?{urlencode({'q': q})}", f"/api/search/?{urlencode({'q': q})}",
                     sample["stories"][n][0], sample["digests"][n][0]):
            status, _ = get(port, path, api if path.startswith(API_PREFIX) else headers)
            if status != 200:
                raise SystemExit(f"warm-up: {path} answered {status}")


def measure(kind, work, sample, args):
    bind = f"127.0.0.1:{args.port}"
    env = environment(work, BIND=bind, **(
        {"WEB_CONCURRENCY": str(args.workers)} if args.workers else {}),
        **({"GUNICORN_THREADS": str(args.threads)} if args.threads else {}))
    env["SECRET_KEY"] = sample["secret_key"]
    with open(work / f"{kind}.log", "w") as log:
        server = subprocess.Popen(server_command(kind, bind), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        wait_until_healthy(port=args.port, server=server)
        time.sleep(1)  # every gunicorn worker up
        booted = {pid: rss_mb(pid) for pid in server_processes(kind, server.pid)}
        warm_up(args.port, sample, len(booted))
        warm = {pid: rss_mb(pid) for pid in booted}
        load_before = os.getloadavg()
        latencies, failures, wall = run_load(args.port, sample, args)
        end = {pid: rss_mb(pid) for pid in server_processes(kind, server.pid)}
        load_after = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return {"latencies": latencies, "failures": failures, "wall": wall, "booted": booted, "warm": warm, "end": end,
            "load": (load_before, load_after)}


def report(kind, result, args):
    latencies, failures, wall = result["latencies"], result["failures"], result["wall"]
    total = sum(len(v) for v in latencies.values())
    errors = sum(len(v) for v in failures.values())
    print(f"\n{kind}: {total} requests in {wall:.0f} s = {total / wall:.1f} req/s, {errors} errors; "
          f"{args.users} clients, think time 0-{2 * args.think:g} s; "
          f"load average {result['load'][0][0]:.2f} before, {result['load'][1][0]:.2f} after")
    print(f"  {'kind':24} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for name, values in latencies.items():
        ordered = sorted(values)
        print(f"  {name:24} {len(ordered):8} {len(ordered) / wall:6.1f} {percentile(ordered, .5):7.0f} "
              f"{percentile(ordered, .95):7.0f} {percentile(ordered, .99):7.0f} {len(failures[name]):6}")
    for name, problems in failures.items():
        for problem in problems[:3]:
            print(f"  error, {name}: {problem}")
    print(f"  {'process':>8} {'booted MB':>10} {'warm MB':>8} {'end MB':>7} {'end/warm':>8}")
    for pid, booted in result["booted"].items():
        warm, end = result["warm"].get(pid), result["end"].get(pid)
        ratio = f"{end / warm:8.2f}" if warm and end else "  (gone)"
        print(f"  {pid:8} {booted or 0:10.0f} {warm or 0:8.0f} {end or 0:7.0f} {ratio}")
    for pid in set(result["end"]) - set(result["booted"]):
        print(f"  {pid:8} (a new worker: one died during the run) {result['end'][pid]:.0f} MB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--work", type=Path, help="where the archive is built and kept (default var/bench/load-N)")
    parser.add_argument("--server", choices=("gunicorn", "runserver", "both"), default="both")
    parser.add_argument("--users", type=int, default=16, help="concurrent clients")
    parser.add_argument("--seconds", type=float, default=120, help="length of each run")
    parser.add_argument("--max-requests", type=int, default=40_000, help="a run stops after this many requests")
    parser.add_argument("--think", type=float, default=0.5, help="a client's mean pause between requests, seconds")
    parser.add_argument("--workers", type=int, help="WEB_CONCURRENCY (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: deploy/gunicorn.conf.py's)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--build-only", action="store_true", help="build the archive and stop")
    parser.add_argument("--build-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    work = (args.work or ROOT / "var" / "bench" / f"load-{args.stories}").resolve()
    if args.build_child:
        return build_child(work, args.stories)
    if args.prepare_child:
        return prepare_child(work, args.users)
    build_archive(work, args.stories)
    if args.build_only:
        return
    secret_key = secrets.token_urlsafe(50)  # one key for signing the sessions in and for the servers
    subprocess.run([PYTHON, __file__, "--prepare-child", "--users", str(args.users), "--work", str(work)],
                   cwd=ROOT, env=dict(environment(work), SECRET_KEY=secret_key), check=True)
    sample = dict(json.loads((work / "sample.json").read_text()), secret_key=secret_key)
    print(f"{args.stories} stories; on: " + ", ".join(f"{n} ({w})" for n, (w, on, _) in MIX.items() if on)
          + "; off: " + (", ".join(n for n, (_, on, _) in MIX.items() if not on) or "none"))
    for kind in (("gunicorn", "runserver") if args.server == "both" else (args.server,)):
        report(kind, measure(kind, work, sample, args), args)


if __name__ == "__main__":
    main()
