"""Benchmark faceted search through the JSON API, ours against haystack's stock Whoosh backend.

    .venv/bin/python bench/search.py [--stories 10000] [--engine whoosh|solr] [--skip-stock]
                                     [--repeat 30] [--stock-repeat 3] [--stock-result FILE] [--report]
                                     [--reuse-index]

Generates a deterministic digest-shaped corpus (bench/corpus.py), stores it
through the models in var/bench/corpus-N-vV.sqlite3 (never the development
database), indexes it through search.indexing.update_stories, then times
`GET /api/search/` with Django's test Client for each case below, median and
p95. Every total and facet count our engine returns is checked against a
brute-force count over the corpus itself. The stock backend runs the same
cases in a second process (HAYSTACK_ENGINE=haystack.backends.whoosh_backend.
WhooshEngine, its own index) and the table shows ours/stock per case.

With --engine solr the measured child runs on SolrCloud instead (BENCH_SOLR_URL,
default solr://127.0.0.1:8983/solr/bench): it runs `setup_search --shards 2`
first, writes result-N-vV-solr.json, and reports the JVM heap of every live Solr
node from /solr/admin/info/system besides its own process memory.
"""
import argparse
import gc
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
# This file is bench/search.py: its own folder must not shadow the search app.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from bench.corpus import tag  # noqa: E402  (after the path is set)

STOCK_ENGINE = "haystack.backends.whoosh_backend.WhooshEngine"
COMMON, OTHER, RARE = "Aleppo", "ceasefire", None  # RARE: picked from the corpus's long tail
PHRASE = '"government forces"'
NAME_PHRASE = '"Free Syrian Army"'


def cases(rare, place, actor):
    """(name, API parameters, compared with stock?) for every measured case."""
    return [
        ("browse everything + facets", {}),
        ("common term + facets", {"q": COMMON}),
        ("two terms + facets", {"q": f"{OTHER} {COMMON}"}),
        ("phrase (2 common words) + facets", {"q": PHRASE}),
        ("phrase (3-word name) + facets", {"q": NAME_PHRASE}),
        ("rare term + facets", {"q": rare}),
        ("one selected value", {"q": COMMON, "place": [place]}),
        ("two selected values", {"q": COMMON, "place": [place], "actor": [actor]}),
        ("one excluded value", {"q": COMMON, "not_place": [place]}),
        ("browse, one selected value", {"actor": [actor]}),
        ("common term, page 1, newest", {"q": COMMON, "sort": "newest"}),
        ("common term, page 50", {"q": COMMON, "page": 50}),
    ]


def plain_cases(rare):
    """Queries without facets, through haystack's SearchQuerySet (the API always counts facets)."""
    return [("common term, no facets", COMMON), ("two terms, no facets", f"{OTHER} {COMMON}"),
            ("phrase, no facets", PHRASE), ("rare term, no facets", rare)]


# ------------------------------------------------------------------ child process

def child(args):
    engine = args.child
    db = VAR / f"corpus-{tag(args.stories)}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    # DEBUG off as deployed, but a scratch key, plain HTTP and no login for the test Client.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(SECURE_SSL_REDIRECT="false", ARCHIVE_PUBLIC="true")
    if engine == "stock":
        os.environ["SEARCH_URL"] = f"whoosh://{VAR / f'index-{tag(args.stories)}-stock'}"
        os.environ["HAYSTACK_ENGINE"] = STOCK_ENGINE
    elif engine == "solr":
        os.environ["SEARCH_URL"] = os.environ.get("BENCH_SOLR_URL", "solr://127.0.0.1:8983/solr/bench")
    else:
        os.environ["SEARCH_URL"] = f"whoosh://{VAR / f'index-{tag(args.stories)}-ours'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "archive.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from haystack import connections
    from haystack.query import SearchQuerySet

    from django.http import QueryDict

    from bench.corpus import build_corpus, store_corpus
    from search.params import parse_params
    from search.query import search
    from digest.models import Story
    from search.indexing import update_stories

    call_command("migrate", verbosity=0)
    if engine == "solr":
        call_command("setup_search", shards=2)
    corpus = build_corpus(args.stories)
    if not Story.objects.exists():
        started = time.perf_counter()
        store_corpus(corpus)
        print(f"[{engine}] stored {args.stories} stories in {time.perf_counter() - started:.1f} s", flush=True)
    ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    previous = Path(args.out)
    if args.reuse_index and previous.exists():
        # Time queries again on the index the previous run built (and report its indexing figures).
        indexing = {k: v for k, v in json.loads(previous.read_text()).items() if k.startswith("index_")}
    else:
        connections["default"].get_backend().clear()
        started, cpu_started, load_started = time.perf_counter(), time.process_time(), os.getloadavg()[0]
        update_stories(ids)
        indexing = {"index_seconds": time.perf_counter() - started,
                    "index_cpu_seconds": time.process_time() - cpu_started,
                    "index_load": (load_started + os.getloadavg()[0]) / 2}
        print(f"[{engine}] indexed {len(ids)} stories in {indexing['index_seconds']:.1f} s "
              f"({indexing['index_cpu_seconds']:.1f} s of CPU, load average about {indexing['index_load']:.1f})",
              flush=True)

    rare = rare_word(corpus)
    place, actor = corpus.places[3], corpus.actors[0][0]
    client = Client()
    rss_before = rss_mb()
    SearchQuerySet().count()  # opens the searcher (and, for ours, builds its arrays)
    rss_after = rss_mb()
    if engine != "stock":
        client.get("/api/search/", {"q": COMMON})
    repeat = args.repeat if engine != "stock" else args.stock_repeat
    out = {"engine": engine, "stories": len(ids), **indexing,
           "rss_before_mb": rss_before, "rss_searcher_open_mb": rss_after, "cases": {}}
    truth = Truth(corpus) if engine != "stock" else None
    gc.freeze()  # the corpus and the checker's word lists are the benchmark's, not the server's, garbage
    for name, params in cases(rare, place, actor):
        times, body, status = [], None, None
        for i in range(repeat + 1):
            started = time.perf_counter()
            if engine == "stock":
                # Stock faceting returns analysed fragments of "YYYY-MM" as month values, which the
                # page cannot render; stock is timed through the same query service the view calls.
                total = search(parse_params(QueryDict(urlencode(params, doseq=True)))).total
                body, status = {"total": total}, "service"
            else:
                response = client.get("/api/search/", params)
                body, status = response.json(), response.status_code
            if i:
                times.append(time.perf_counter() - started)
        result = {"params": params, "times": times, "status": status, "total": body.get("total")}
        if truth is not None:
            result["check"] = truth.check(params, body)
        out["cases"][name] = result
        print(f"[{engine}] {name}: median {statistics.median(times) * 1000:.1f} ms, total {body.get('total')}"
              + (f", check {result['check']}" if truth else ""), flush=True)
    for name, q in plain_cases(rare):
        times = []
        for i in range(repeat + 1):
            started = time.perf_counter()
            sqs = SearchQuerySet().raw_search(q)
            list(sqs[:20])
            total = sqs.count()
            if i:
                times.append(time.perf_counter() - started)
        out["cases"][name] = {"params": {"q": q}, "times": times, "total": total}
        print(f"[{engine}] {name}: median {statistics.median(times) * 1000:.1f} ms, total {total}", flush=True)
    out["query_load"] = os.getloadavg()[0]
    if engine == "solr":
        out["solr_heap"] = solr_heap(connections["default"].options["URL"])
    Path(args.out).write_text(json.dumps(out))


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def solr_heap(url):
    """JVM heap of every live node of the cluster behind `url`, in MB: {"used", "max", "nodes"}.

    The searching happens in Solr's JVMs, not in this process, so its RSS says little.
    """
    parts = urlsplit(url)

    def get(host, context, path):
        with urlopen(f"{parts.scheme}://{host}/{context}/{path}", timeout=30) as response:
            return json.load(response)

    context = parts.path.strip("/").split("/")[0]
    nodes = get(parts.netloc, context, "admin/collections?action=CLUSTERSTATUS&wt=json")["cluster"]["live_nodes"]
    heap = {"used": 0.0, "max": 0.0, "nodes": len(nodes)}
    for node in nodes:  # "127.0.0.1:8983_solr"
        host, _, node_context = node.partition("_")
        memory = get(host, node_context.replace("%2F", "/"), "admin/info/system?wt=json")["jvm"]["memory"]["raw"]
        heap["used"] += memory["used"] / 2**20
        heap["max"] += memory["max"] / 2**20
    return heap


def rare_word(corpus):
    """A one-word place from the Zipf tail: in a handful of stories."""
    return next(p for p in corpus.places[1200:] if " " not in p and p.isalpha())


class Truth:
    """Brute-force totals and facet counts over the corpus, for checking the engine's answers."""

    def __init__(self, corpus):
        from search.text import line_words

        self.corpus = corpus
        self.lines = [line_words(f"{s.headline}\n{s.body}") for s in corpus.stories]
        self.words = [set(w for line in lines for w in line) for lines in self.lines]
        self.dates = corpus.digest_dates

    def matches(self, i, q):
        from search.text import words

        if not q:
            return True
        if q.startswith('"'):
            phrase = "\x00" + "\x00".join(words(q)) + "\x00"
            return any(phrase in "\x00" + "\x00".join(line) + "\x00" for line in self.lines[i])
        return all(w in self.words[i] for w in words(q))

    def check(self, params, body):
        stories = self.corpus.stories
        found = [
            s for i, s in enumerate(stories)
            if self.matches(i, params.get("q", ""))
            and all(v in s.places for v in params.get("place", []))
            and all(v in s.actors for v in params.get("actor", []))
            and not any(v in s.places for v in params.get("not_place", []))
        ]
        problems = []
        if body.get("total") != len(found):
            problems.append(f"total {body.get('total')} != {len(found)}")
        from search.query import FACET_LIMIT

        for facet, attr in (("place", "places"), ("actor", "actors"), ("source", "sources")):
            counts = Counter(v for s in found for v in getattr(s, attr))
            expected = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))[:FACET_LIMIT]
            got = [(v["value"], v["count"]) for v in body["facets"][facet] if not v.get("excluded")]
            if got != expected:
                problems.append(f"{facet} counts differ")
        months = Counter(self.dates[s.digest].strftime("%Y-%m") for s in found)
        if [(v["value"], v["count"]) for v in body["facets"]["month"]] != sorted(months.items()):
            problems.append("month counts differ")
        return "exact" if not problems else "; ".join(problems)


# ------------------------------------------------------------------ parent process

def run_child(args, engine):
    out = VAR / f"result-{tag(args.stories)}-{engine}.json"
    command = [sys.executable, __file__, "--child", engine, "--out", str(out), "--stories", str(args.stories),
               "--engine", args.engine, "--repeat", str(args.repeat), "--stock-repeat", str(args.stock_repeat)]
    if args.reuse_index:
        command.append("--reuse-index")
    subprocess.run(command, check=True, cwd=ROOT)
    return json.loads(out.read_text())


def stats(times):
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def report(ours, stock):
    print()
    def rate(run):
        text = f"{run['stories'] / run['index_seconds']:.0f} stories/s ({run['index_seconds']:.1f} s wall"
        if "index_cpu_seconds" in run:  # results of older runs lack these
            text += (f", {run['stories'] / run['index_cpu_seconds']:.0f} stories per CPU-second, "
                     f"load average {run['index_load']:.1f} on {os.cpu_count()} cores")
        return text + ")"

    print(f"{ours['stories']} stories, engine {ours['engine']}: indexing {rate(ours)}"
          + (f"; stock: {rate(stock)}" if stock else ""))
    print(f"load average after querying: ours {ours.get('query_load', 0):.1f}"
          + (f", stock {stock.get('query_load', 0):.1f}" if stock else ""))
    print(f"process memory: {ours['rss_before_mb']:.0f} MB before opening the index, "
          f"{ours['rss_searcher_open_mb']:.0f} MB with the searcher and its arrays open")
    if "solr_heap" in ours:
        heap = ours["solr_heap"]
        print(f"Solr JVM heap after querying: {heap['used']:.0f} MB used of {heap['max']:.0f} MB "
              f"on {heap['nodes']} node(s)")
    name = ours["engine"]
    header = f"| case | {name} median ms | {name} p95 ms | stock median ms | stock p95 ms | {name}/stock | counts |"
    print(header)
    print("|" + "---|" * 7)
    for name, case in ours["cases"].items():
        median, p95 = stats(case["times"])
        row = f"| {name} | {median:.1f} | {p95:.1f} |"
        if stock and name in stock["cases"]:
            s_median, s_p95 = stats(stock["cases"][name]["times"])
            row += f" {s_median:.1f} | {s_p95:.1f} | {median / s_median:.3f} (x{s_median / median:.0f}) |"
        else:
            row += " - | - | - |"
        row += f" {case.get('check', '-')} |"
        print(row)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10000)
    parser.add_argument("--engine", choices=["whoosh", "solr"], default="whoosh")
    parser.add_argument("--skip-stock", action="store_true")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--stock-repeat", type=int, default=3)
    parser.add_argument("--stock-result", help="compare with a stock result file of an earlier run "
                                               "(var/bench/result-N-vV-stock.json) instead of running stock again")
    parser.add_argument("--report", action="store_true", help="print the table of the last run's result files")
    parser.add_argument("--reuse-index", action="store_true",
                        help="time the queries on the index the last run built, without indexing again")
    parser.add_argument("--child", choices=["ours", "solr", "stock"], help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    VAR.mkdir(parents=True, exist_ok=True)
    if args.child:
        child(args)
        return
    measured = "solr" if args.engine == "solr" else "ours"
    if args.report:
        results = [VAR / f"result-{tag(args.stories)}-{engine}.json" for engine in (measured, "stock")]
        report(*(json.loads(path.read_text()) if path.exists() else None for path in results))
        return
    ours = run_child(args, measured)
    if args.stock_result:
        stock = json.loads(Path(args.stock_result).read_text())
    else:
        stock = None if args.skip_stock else run_child(args, "stock")
    report(ours, stock)


if __name__ == "__main__":
    main()
