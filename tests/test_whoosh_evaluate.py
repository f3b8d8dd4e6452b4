"""search.whoosh.evaluate on a small Whoosh index built here, without haystack's connections:
scores, operators, narrowing and facet counts of the Evaluator itself."""
import numpy as np
import pytest
from whoosh import columns
from whoosh.fields import COLUMN, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage

from search.whoosh.codec import ArchiveCodec, ArchiveSegmentWriter, merge_by_tier
from search.whoosh.evaluate import Evaluator
from search.whoosh.fields import PairsField, ValuesField, WordsField
from search.whoosh.tables import IndexState, build_view

STORIES = [  # pk, text, date, places
    (1, "Shelling in Aleppo and Idlib\nAleppo residents fled the shelling.", "2014-11-26", ["Aleppo", "Idlib"]),
    (2, "Aleppo ceasefire talks\nEnvoys met in Geneva about Aleppo.", "2014-11-27", ["Aleppo"]),
    (3, "Idlib market reopens\nTraders returned to the market.", "2014-12-01", ["Idlib"]),
    (4, "Free Syrian Army advances\nThe Free Syrian Army took a village near Aleppo.", "2014-12-02", ["Aleppo"]),
]


@pytest.fixture
def index(tmp_path):
    """(evaluator, view, leaf) over STORIES in one segment."""
    schema = Schema(id=WHOOSH_ID(stored=True, unique=True), django_id=COLUMN(columns.NumericColumn("q")),
                    text=WordsField(), text_pairs=PairsField(), digest_date=ValuesField(stored=True),
                    place=ValuesField())
    ix = FileStorage(str(tmp_path)).create_index(schema)
    writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
    for pk, text, date, places in STORIES:
        writer.add_document(id=f"digest.story.{pk}", django_id=pk, text=text, text_pairs=text,
                            digest_date=date, place=places)
    writer.commit(mergetype=merge_by_tier)
    evaluator = Evaluator(ix.schema, "text", ["place"], "digest_date", ["text", "text_pairs"])
    view = build_view(ix.searcher(), IndexState(), evaluator)
    yield evaluator, view, view.leaves[0]
    view.searcher.close()


def scores(index, query):
    """{pk: score} of a query."""
    evaluator, view, leaf = index
    matches = evaluator.evaluate(view, leaf, evaluator.parse(query))
    return {int(leaf.tables.pk[d]): s for d, s in zip(matches.docs.tolist(), matches.scores.tolist())}


def test_andmaybe_adds_the_optional_score_once(index):
    required, optional = scores(index, "aleppo"), scores(index, "idlib")
    both = scores(index, "aleppo ANDMAYBE idlib")
    assert set(both) == set(required) == {1, 2, 4}
    assert both[1] == pytest.approx(required[1] + optional[1])  # was counted 2 * required + optional
    assert both[2] == pytest.approx(required[2])
    assert both[4] == pytest.approx(required[4])


def test_andnot_and_not_exclude_alike(index):
    assert set(scores(index, "aleppo ANDNOT idlib")) == set(scores(index, "aleppo NOT idlib")) == {2, 4}


def test_a_phrase_matches_its_words_in_order_only(index):
    assert set(scores(index, '"free syrian army"')) == {4}
    assert set(scores(index, '"army syrian free"')) == set()


def test_narrowing_and_facet_counts(index):
    evaluator, view, leaf = index
    matches = evaluator.evaluate(view, leaf, evaluator.parse("aleppo"))
    narrowing = evaluator.narrowing(['-place:"Idlib"', "digest_date:[2014-11-27T00:00:00Z TO *]"])
    narrowed = evaluator.narrowed(leaf, matches, narrowing)
    assert sorted(leaf.tables.pk[narrowed.docs].tolist()) == [2, 4]
    counts = evaluator.facet_counts(view, matches.docs + leaf.offset, {"place": {"limit": -1}})
    assert counts == {"place": [("Aleppo", 3), ("Idlib", 1)]}


def test_the_page_is_newest_first_for_equal_scores(index):
    evaluator, view, leaf = index
    everything = evaluator.evaluate(view, leaf, evaluator.parse(""))
    order = evaluator.page_order(view, everything.docs, everything.scores, None, 0, 4)
    assert leaf.tables.pk[everything.docs[order]].tolist() == [4, 3, 2, 1]
    assert np.array_equal(everything.scores, np.ones(4))
