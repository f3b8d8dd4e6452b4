"""search.whoosh.tables through the engine: one searcher and its arrays serve request after request,
a commit opens a new one that keeps the unchanged segments' arrays, and a segment's arrays are
saved beside it for every other process (gunicorn's workers) to load instead of reading it again."""
import os

import pytest
from haystack import connections

from search.indexing import update_stories
from search.whoosh import tables
from search.whoosh.tables import TABLES_SUFFIX, IndexState, SegmentTables, build_view

pytestmark = pytest.mark.django_db


def api_total(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()["total"]


def table_files(backend):
    return sorted(name for name in os.listdir(backend.path) if name.endswith(TABLES_SUFFIX))


def segment_ids(view):
    return sorted(leaf.reader.segment().segment_id() for leaf in view.leaves)


def test_the_searcher_is_reused_across_requests_and_reopened_after_a_commit(client, indexed_stories):
    backend = connections["default"].get_backend()
    assert api_total(client, "Aleppo") == 4
    view = backend.state.view
    kept = dict(backend.state.tables)
    assert api_total(client, "Aleppo") == 4
    assert api_total(client, "Zabadani") == 0
    assert backend.state.view is view

    story = indexed_stories["Security Council Debates Aid Convoys"]
    story.body += " Fighting spread to Zabadani."
    story.save()
    update_stories([story.pk])  # a commit: a new segment, the story deleted from its old one

    assert api_total(client, "Zabadani") == 1
    assert backend.state.view is not view
    assert not view.searcher.up_to_date()
    for segment, arrays in kept.items():
        assert backend.state.tables[segment] is arrays  # the old segments' arrays were not rebuilt
    assert len(backend.state.tables) == len(kept) + 1


def test_each_segments_arrays_are_saved_beside_it_and_another_process_loads_them(client, indexed_stories,
                                                                                  monkeypatch):
    backend = connections["default"].get_backend()
    totals = {q: api_total(client, q) for q in ("Aleppo", "ceasefire", "")}
    assert table_files(backend) == [s + TABLES_SUFFIX for s in segment_ids(backend.state.view)]

    def read_again(*args):
        raise AssertionError("the segment was read again instead of its saved arrays")

    monkeypatch.setattr(SegmentTables, "read", read_again)
    other = IndexState(backend.path)  # what a second worker process starts with
    view = build_view(backend.index.searcher(), other, backend.evaluator)
    mine = backend.state.view
    for leaf, same in zip(view.leaves, mine.leaves):
        assert leaf.tables.pk.tolist() == same.tables.pk.tolist()
        assert leaf.tables.date.tolist() == same.tables.date.tolist()
        for name, facet in leaf.tables.facets.items():
            assert facet.values == same.tables.facets[name].values
            assert facet.doc_values.tolist() == same.tables.facets[name].doc_values.tolist()
        for name, lengths in leaf.tables.lengths.items():
            assert lengths.tolist() == same.tables.lengths[name].tolist()
    backend.state.tables.clear()
    backend.state.view = None
    assert {q: api_total(client, q) for q in totals} == totals


def test_a_damaged_or_outdated_file_is_read_again_and_replaced(client, indexed_stories, monkeypatch):
    backend = connections["default"].get_backend()
    total = api_total(client, "Aleppo")
    first, *_ = table_files(backend)
    path = os.path.join(backend.path, first)
    with open(path, "r+b") as damaged:
        damaged.truncate(100)
    backend.state.tables.clear()
    backend.state.view = None
    assert api_total(client, "Aleppo") == total
    assert os.path.getsize(path) > 100

    monkeypatch.setattr(tables, "TABLES_FORMAT", tables.TABLES_FORMAT + 1)  # a release that changed them
    saved = os.path.getmtime(path)
    os.utime(path, (saved - 60, saved - 60))
    backend.state.tables.clear()
    backend.state.view = None
    assert api_total(client, "Aleppo") == total
    assert os.path.getmtime(path) > saved - 60


def test_a_merge_deletes_the_files_of_the_segments_it_replaced(client, indexed_stories):
    backend = connections["default"].get_backend()
    for story in list(indexed_stories.values())[:3]:  # three more commits, three more segments
        update_stories([story.pk])
        api_total(client, "Aleppo")
    assert len(table_files(backend)) == len(backend.state.view.leaves) > 1
    backend.optimize()
    api_total(client, "Aleppo")
    assert len(backend.state.view.leaves) == 1
    assert table_files(backend) == [segment_ids(backend.state.view)[0] + TABLES_SUFFIX]
    assert [n for n in os.listdir(backend.path) if TABLES_SUFFIX in n and not n.startswith(segment_ids(backend.state.view)[0])] == []


def test_an_index_directory_that_cannot_be_written_still_answers(client, indexed_stories, monkeypatch):
    backend = connections["default"].get_backend()
    total = api_total(client, "Aleppo")
    backend.state.tables.clear()
    backend.state.view = None
    for name in table_files(backend):
        os.remove(os.path.join(backend.path, name))

    def refuse(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tables, "open", refuse, raising=False)
    assert api_total(client, "Aleppo") == total
    assert table_files(backend) == []


def test_what_a_view_keeps_per_word_asked_for_stays_bounded(client, indexed_stories, monkeypatch):
    monkeypatch.setattr(tables, "TERM_STATISTICS_KEPT", 5)
    backend = connections["default"].get_backend()
    for word in ["Aleppo", "ceasefire", "convoy", "rebels", "Idlib", "talks", "envoy", "market", "army", "border"]:
        api_total(client, word)
        assert len(backend.state.view.term_statistics) <= 5
    assert api_total(client, "Aleppo") == 4
