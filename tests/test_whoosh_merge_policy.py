"""The Whoosh merge policy and the batches a bulk load indexes: a batch's segment is written once."""
import pytest

from digest.signals import BATCH_STORIES
from search.contract import INDEX_BATCH
from search.whoosh import codec


class Segment:
    def __init__(self, docs):
        self.docs = docs

    def doc_count(self):
        return self.docs


class Writer:
    """What merge_by_tier asks of Whoosh's writer: where the segments are, and to take one's documents."""

    storage = schema = None

    def __init__(self):
        self.merged = []

    def add_reader(self, reader):
        self.merged.append(reader.segment)


class Reader:
    def __init__(self, storage, schema, segment):
        self.segment = segment

    def close(self):
        pass


@pytest.fixture
def writer(monkeypatch):
    monkeypatch.setattr(codec, "SegmentReader", Reader)
    return Writer()


def test_a_bulk_loads_batches_are_segments_that_are_never_merged_again(writer):
    # A bulk load sends the index BATCH_STORIES stories at a time, as a rebuild writes them.
    assert BATCH_STORIES == INDEX_BATCH
    segments = [Segment(BATCH_STORIES) for _ in range(codec.MERGE_FACTOR * 2)]

    assert codec.merge_by_tier(writer, segments) == segments
    assert writer.merged == []


def test_small_segments_are_merged_once_there_are_merge_factor_of_them(writer):
    small = [Segment(1000) for _ in range(codec.MERGE_FACTOR)]
    large = Segment(BATCH_STORIES)

    assert codec.merge_by_tier(writer, [large, *small[:-1]]) == [large, *small[:-1]]  # one short
    assert codec.merge_by_tier(writer, [large, *small]) == [large]
    assert writer.merged == small
