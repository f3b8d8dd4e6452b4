"""A search while another process's commit merges segments away and deletes their files: the
view this process opened still reads its results (Whoosh's index, whose files are its own)."""
import pytest
from django.conf import settings
from haystack import connections

from digest.models import Story
from search.indexing import update_stories
from search.whoosh import backend as whoosh_backend
from search.whoosh.tables import SegmentGone

pytestmark = [
    pytest.mark.skipif("PATH" not in settings.HAYSTACK_CONNECTIONS["default"], reason="Whoosh's segments"),
    pytest.mark.django_db,
]


def test_results_are_read_from_segments_another_commit_merged_away(indexed_stories):
    backend = connections["default"].get_backend()
    story = next(iter(indexed_stories.values()))
    extra = Story.objects.create(digest=story.digest, position=99, headline="Checkpoints Reopen",
                                 body="The checkpoints reopened on Monday.", slug="checkpoints-reopen")
    update_stories([extra.pk])  # a second segment
    view = backend.current_view()
    assert len(view.leaves) >= 2
    files = set(backend.storage.list())

    backend.optimize()  # as another process's merge would: one segment, the old ones' files deleted

    assert files - set(backend.storage.list())
    found = {backend.result(view, leaf.offset + doc, 1.0, None).pk
             for leaf in view.leaves for doc in range(leaf.tables.size) if leaf.live[doc]}
    assert found == set(Story.objects.values_list("pk", flat=True))


def test_a_generation_merged_away_while_it_was_opened_gives_way_to_the_next(indexed_stories, monkeypatch):
    backend = connections["default"].get_backend()
    update_stories([next(iter(indexed_stories.values())).pk])  # the current view is out of date
    build, attempts = whoosh_backend.build_view, []

    def merged_away_once(searcher, state, layout):
        attempts.append(searcher)
        if len(attempts) == 1:
            raise SegmentGone("merged away")
        return build(searcher, state, layout)

    monkeypatch.setattr(whoosh_backend, "build_view", merged_away_once)

    view = backend.current_view()

    assert len(attempts) == 2 and view.live_count == len(indexed_stories)
