"""Benchmark the CSV export: rows per second and peak memory exporting every match of a search.

    .venv/bin/python bench/export.py [--stories 100000] [--engine-url whoosh://...] [--skip-traced]

Stores the deterministic corpus of bench/corpus.py in var/bench/corpus-N-vV.sqlite3 and indexes it
in var/bench/index-N-vV-ours (the files bench/search.py makes, reused when already complete), then
streams `GET /api/search/export.csv` through Django's test Client, reading the response as a
client would and keeping none of it, for a few searches of growing size. Per case:

* rows/s: a run without tracing; the row count is checked against the search's own total;
* peak Python memory: a second run under tracemalloc (slower; its peak is what the export allocates);
* peak RSS of the process during the untraced run (VmHWM, reset before each case via clear_refs).

Memory that stays flat while the row count grows tenfold is what "constant memory" means here.
"""
import argparse
import os
import secrets
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from bench.corpus import tag  # noqa: E402  (after the path is set)


def status_mb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak_rss():
    """Start VmHWM afresh from the current RSS (Linux 4.0+); without it the peak is the process's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def setup(stories, engine_url):
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{VAR / f'corpus-{tag(stories)}.sqlite3'}"
    os.environ["SEARCH_URL"] = engine_url or f"whoosh://{VAR / f'index-{tag(stories)}-ours'}"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
    # DEBUG off as deployed (no query log growing with every row), a scratch key, no login.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(SECURE_SSL_REDIRECT="false", ARCHIVE_PUBLIC="true", DJANGO_SETTINGS_MODULE="archive.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from haystack.query import SearchQuerySet

    from bench.corpus import build_corpus, store_corpus
    from digest.models import Story
    from search.indexing import update_stories

    call_command("migrate", verbosity=0)
    built = False
    if not Story.objects.exists():
        built = True
        started = time.perf_counter()
        store_corpus(build_corpus(stories))
        print(f"stored {stories:,} stories in {time.perf_counter() - started:.0f} s", flush=True)
    ids = list(Story.objects.order_by("pk").values_list("pk", flat=True))
    if SearchQuerySet().count() != len(ids):
        built = True
        started = time.perf_counter()
        update_stories(ids)
        print(f"indexed {len(ids):,} stories in {time.perf_counter() - started:.0f} s", flush=True)
    return built


def export(client, params):
    """(rows, bytes) of the streamed CSV, read chunk by chunk and dropped."""
    response = client.get("/api/search/export.csv", params)
    assert response.status_code == 200, response.content
    lines = size = 0
    for piece in response.streaming_content:
        lines += piece.count(b"\r\n")
        size += len(piece)
    response.close()
    return lines - 1, size


def measure(client, name, params, traced):
    total = client.get("/api/search/", params).json()["total"]
    export(client, {**params, "to": "2012-01-31"})  # warm: searcher arrays, templates, first queries
    exact_peak = reset_peak_rss()
    rss_before = status_mb("VmRSS")
    started = time.perf_counter()
    rows, size = export(client, params)
    seconds = time.perf_counter() - started
    rss_peak = status_mb("VmHWM")
    assert rows == total, (name, rows, total)
    line = (f"{name:<34} {rows:>8,} rows {size / 2**20:7.1f} MB  {rows / seconds:8,.0f} rows/s  "
            f"RSS {rss_before:6.1f} MB, peak {rss_peak:6.1f} MB{'' if exact_peak else ' (process peak)'}")
    if traced:
        tracemalloc.start()
        export(client, params)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        line += f"  traced peak {peak / 2**20:6.1f} MB"
    print(line, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--engine-url", help="SEARCH_URL of an engine to export from (default: the bench Whoosh index)")
    parser.add_argument("--skip-traced", action="store_true", help="no tracemalloc run (it is several times slower)")
    args = parser.parse_args()
    if setup(args.stories, args.engine_url):
        # Measure in a fresh process: this one still holds the corpus it generated and stored.
        os.execv(sys.executable, [sys.executable, __file__, *sys.argv[1:]])
    from django.test import Client

    client = Client()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for name, params in [
        ("one month, every story", {"from": "2012-01-01", "to": "2012-01-31"}),
        ("one year, every story", {"from": "2012-01-01", "to": "2012-12-31"}),
        ("every story, newest first", {}),
        ("a common word, by relevance", {"q": "Aleppo"}),
    ]:
        measure(client, name, params, not args.skip_traced)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
