"""Every count of the entity JSON equals the search total it stands for, on a 10,000-story archive.

The archive is bench/corpus.py's deterministic corpus (2,000 places, 5,000 actors and 60 sources
drawn Zipf-like), bulk-stored and indexed in batches. Counts are checked three ways: the entity
JSON, /api/search/ for the same values, and a brute-force count over the corpus itself. One test
(the archive takes most of its time to build) checks every kind of count.
"""
from collections import Counter
from urllib.parse import urlencode

import pytest

from bench.corpus import build_corpus, store_corpus
from digest.models import Entity, Story
from search.indexing import update_stories

STORIES = 10_000
KINDS = ("place", "actor", "source")


@pytest.fixture
def big_archive(db, fresh_index):
    corpus = build_corpus(STORIES)
    for story in corpus.stories:
        story.body = story.body[:120]  # counts need no text; short bodies index four times faster
    store_corpus(corpus)
    update_stories(list(Story.objects.values_list("pk", flat=True)))
    return corpus


def mentions(corpus, kind):
    return [set(getattr(story, kind + "s")) for story in corpus.stories]


def search_total(client, **values):
    response = client.get("/api/search/?" + urlencode([(k, v) for k, vs in values.items() for v in vs]))
    assert response.status_code == 200, response.content
    return response.json()["total"]


def test_entity_counts_equal_search_totals_and_the_corpus(client, big_archive):
    corpus = big_archive
    sets = {kind: mentions(corpus, kind) for kind in KINDS}
    dates = [corpus.digest_dates[story.digest] for story in corpus.stories]
    counts = {kind: Counter(name for names in sets[kind] for name in names) for kind in KINDS}

    # The index: every source, and the first two pages of places and actors, against the corpus.
    sources = client.get("/api/entities/?kind=source&sort=name").json()
    assert sources["total"] == len(counts["source"])
    assert {r["name"]: r["stories"] for r in sources["results"]} == dict(
        sorted(counts["source"].items(), key=lambda item: item[0].casefold())[:50])
    for kind in ("place", "actor"):
        rows = [r for page in (1, 2) for r in client.get(f"/api/entities/?kind={kind}&page={page}").json()["results"]]
        ranked = sorted(counts[kind].items(), key=lambda item: (-item[1], item[0].casefold()))[:100]
        assert [(r["name"], r["stories"]) for r in rows] == ranked

    # One entity per kind at the head, the middle and the tail of its distribution.
    checked = 0
    for kind in KINDS:
        ranked = [name for name, _ in counts[kind].most_common()]
        for name in (ranked[0], ranked[len(ranked) // 3], ranked[-1]):
            entity = Entity.objects.get(kind=kind, name=name)
            data = client.get(f"/api/entities/{entity.pk}/").json()
            having = [i for i, names in enumerate(sets[kind]) if name in names]
            assert data["stories"] == len(having) == search_total(client, **{kind: [name]})
            assert sum(m["count"] for m in data["timeline"]) == data["stories"]
            months = Counter(dates[i].strftime("%Y-%m") for i in having)
            assert {m["month"]: m["count"] for m in data["timeline"] if m["count"]} == dict(months)
            assert (data["first_seen"], data["last_seen"]) == (min(dates[i] for i in having).isoformat(),
                                                               max(dates[i] for i in having).isoformat())
            for other_kind, items in data["co_occurring"].items():
                together = Counter(n for i in having for n in sets[other_kind][i] if n != name or other_kind != kind)
                ranked_together = sorted(together.items(), key=lambda item: -item[1])
                assert len(items) == min(10, len(together))
                assert [item["count"] for item in items] == [count for _, count in ranked_together[:len(items)]]
                for item in items[:3]:
                    both = {kind: [name]}
                    both.setdefault(other_kind, []).append(item["name"])
                    assert item["count"] == together[item["name"]] == search_total(client, **both)
                    checked += 1
    assert checked >= 20
