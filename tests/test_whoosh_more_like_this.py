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
