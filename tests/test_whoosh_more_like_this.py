"""Stories like this one, through our Whoosh engine: only the stories shown are made into results."""
import pytest

from search.query import more_like_this
from search.whoosh.backend import ArchiveWhooshBackend

pytestmark = pytest.mark.django_db


def test_only_the_slice_asked_for_is_made_into_results(indexed_stories, monkeypatch):
    story = indexed_stories["Rebels Retake Ma'arrat al-Nu'man Checkpoints"]
    every = more_like_this(story, limit=100)
    assert len(every) == 2
    made = []
    result = ArchiveWhooshBackend.result

    def counted(self, *args, **kwargs):
        made.append(args[1])
        return result(self, *args, **kwargs)

    monkeypatch.setattr(ArchiveWhooshBackend, "result", counted)
    first = more_like_this(story, limit=1)
    assert [h.id for h in first] == [every[0].id]
    assert len(made) == 1


def words_looked_for(backend, story, monkeypatch):
    asked = []
    evaluate = backend.evaluator.evaluate

    def noted(view, leaf, q):
        asked.append(q)
        return evaluate(view, leaf, q)

    monkeypatch.setattr(backend.evaluator, "evaluate", noted)
    more_like_this(story, limit=5)
    monkeypatch.undo()
    return {term.text for term in asked[0].subqueries}


def test_words_in_more_than_a_fifth_of_the_stories_are_left_out(indexed_stories, monkeypatch):
    from haystack import connections

    from search.whoosh import backend as whoosh_backend

    backend = connections["default"].get_backend()
    story = indexed_stories["Rebels Retake Ma'arrat al-Nu'man Checkpoints"]
    searcher = backend.current_view().searcher
    fifth = len(indexed_stories) / 5

    def common(words):
        return {w for w in words if searcher.doc_frequency("text", w) > fifth}

    assert common(words_looked_for(backend, story, monkeypatch))  # a small archive keeps every word
    monkeypatch.setattr(whoosh_backend, "MLT_CHEAP", 0)  # as if reading any word were costly
    looked_for = words_looked_for(backend, story, monkeypatch)
    assert looked_for and not common(looked_for)


def test_a_view_counts_each_words_stories_once_and_the_next_view_counts_afresh(indexed_stories, monkeypatch):
    from haystack import connections

    from digest.models import Story
    from search.indexing import update_stories

    backend = connections["default"].get_backend()
    story = indexed_stories["Rebels Retake Ma'arrat al-Nu'man Checkpoints"]
    view = backend.current_view()
    counted = view.searcher.doc_frequency
    asked = []
    monkeypatch.setattr(view.searcher, "doc_frequency", lambda field, text: asked.append(text) or counted(field, text))

    first = [hit.id for hit in more_like_this(story)]
    words = len(asked)
    again = [hit.id for hit in more_like_this(story)]

    assert words > 10 and len(asked) == words  # the second page asks the segments nothing
    assert again == first
    before = view.doc_frequency("text", "checkpoints")
    assert before == counted("text", "checkpoints") >= 1

    added = Story.objects.create(digest=story.digest, position=99, headline="Checkpoints Reopen",
                                 body="The checkpoints on the road reopened on Monday.", slug="checkpoints-reopen")
    update_stories([added.pk])  # a commit: the next search opens a new view

    assert backend.current_view() is not view
    assert backend.current_view().doc_frequency("text", "checkpoints") == before + 1
