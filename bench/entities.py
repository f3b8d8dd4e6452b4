"""Benchmark the entity pages and the entity JSON beside the search page they link to.

    .venv/bin/python bench/entities.py [--stories 100000] [--repeat 30]

Stores bench/corpus.py's deterministic corpus in var/bench/corpus-N-vV.sqlite3 and indexes it in
var/bench/index-N-vV-ours (the files bench/search.py uses, so either bench reuses the other's archive;
an index is rebuilt only when its story count differs; places get coordinates in Syria's
bounding box, so maps draw a bubble per place), then times, with Django's test Client and
DEBUG off, for entities at the head, the middle and the tail of their kind's distribution:
the entity page, GET /api/entities/<id>/, and the search page for the same entity (/search/?kind=name),
p50 and p95 each; then the entity index and its JSON. It prints the machine's load average, since
the figures mean little without it.
"""
import argparse
import os
import secrets
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from bench.corpus import tag  # noqa: E402  (after the path is set)


def setup(stories):
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{VAR / f'corpus-{tag(stories)}.sqlite3'}"
    os.environ["SEARCH_URL"] = f"whoosh://{VAR / f'index-{tag(stories)}-ours'}"
    os.environ["ALLOWED_HOSTS"] = "testserver,localhost"
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
    corpus = build_corpus(stories)
    if not Story.objects.exists():
        started = time.perf_counter()
        store_corpus(corpus)
        print(f"stored {stories} stories in {time.perf_counter() - started:.0f} s", flush=True)
    from digest.models import Entity

    unplaced = list(Entity.objects.filter(kind="place", latitude__isnull=True).order_by("pk"))
    for i, place in enumerate(unplaced):
        # Scattered over Syria's bounding box, as the gazetteer would place them, so maps have bubbles to draw.
        place.latitude, place.longitude = 32.3 + (i * 37 % 500) / 100, 35.7 + (i * 53 % 660) / 100
    Entity.objects.bulk_update(unplaced, ["latitude", "longitude"], batch_size=1000)
    if SearchQuerySet().count() != stories:
        from haystack import connections

        connections["default"].get_backend().clear()
        started = time.perf_counter()
        update_stories(list(Story.objects.order_by("pk").values_list("pk", flat=True)))
        print(f"indexed {stories} stories in {time.perf_counter() - started:.0f} s", flush=True)
    return corpus


CPU = {}  # url -> CPU milliseconds per request: on a shared machine, what the wall times are made of


def timed(client, url, repeat):
    client.get(url)  # warm: the first request of a URL pays for the searcher's arrays
    times, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    CPU[url] = cpu
    return times


def p(times, q):
    return statistics.quantiles(times, n=100, method="inclusive")[q - 1] if len(times) > 1 else times[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    corpus = setup(args.stories)

    from urllib.parse import urlencode

    from django.test import Client

    from digest.models import Entity

    client = Client()
    counts = {kind: Counter(n for s in corpus.stories for n in getattr(s, kind + "s")) for kind in ("place", "actor", "source")}
    picks = []
    for kind in ("place", "actor", "source"):
        ranked = [name for name, _ in counts[kind].most_common()]
        for where, name in (("head", ranked[0]), ("middle", ranked[len(ranked) // 2]), ("tail", ranked[-1])):
            picks.append((f"{kind}, {where} ({counts[kind][name]:,} stories)", Entity.objects.get(kind=kind, name=name)))

    load = os.getloadavg()
    print(f"\n{args.stories:,} stories, {args.repeat} requests per cell, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    header = f"{'entity':<34} {'entity page':>17} {'entity JSON':>17} {'search page':>17}"
    print(header + "\n" + " " * 34 + "   p50 ms  p95 ms" * 3)
    every = {"page": [], "json": [], "search": []}
    urls = []
    for label, entity in picks:
        row = (entity.get_absolute_url(), f"/api/entities/{entity.pk}/",
               "/search/?" + urlencode({entity.kind: entity.name}))
        urls.append((label, row))
        walls = [timed(client, url, args.repeat) for url in row]
        for key, times in zip(every, walls):
            every[key] += times
        print(f"{label:<34}" + "".join(f" {p(t, 50):8.1f} {p(t, 95):7.1f}" for t in walls), flush=True)
    print(f"{'all of the above':<34}" + "".join(f" {p(every[k], 50):8.1f} {p(every[k], 95):7.1f}" for k in every))
    print("\nCPU time of the same requests (ms; less sensitive to the machine's load than wall time)")
    every = {"page": [], "json": [], "search": []}
    for label, row in urls:
        for key, url in zip(every, row):
            every[key] += CPU[url]
        print(f"{label:<34}" + "".join(f" {p(CPU[url], 50):8.1f} {p(CPU[url], 95):7.1f}" for url in row))
    print(f"{'all of the above':<34}" + "".join(f" {p(every[k], 50):8.1f} {p(every[k], 95):7.1f}" for k in every))
    print()
    for url in ("/entities/", "/entities/?kind=actor", "/entities/?kind=place&sort=name&page=3",
                "/api/entities/?kind=actor", "/api/entities/?q=al&sort=name"):
        times = timed(client, url, args.repeat)
        print(f"{url:<42} p50 {p(times, 50):7.1f} ms  p95 {p(times, 95):7.1f} ms  (CPU p50 {p(CPU[url], 50):.1f} ms)",
              flush=True)
    load = os.getloadavg()
    print(f"\nload average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
