"""search.search_indexes.StoryIndex and the schema our Whoosh backend builds from it."""
import pytest
from haystack import connections

from digest.models import Entity, Mention
from search.search_indexes import StoryIndex, story_fingerprint
from search.text import line_words, words
from search.whoosh.fields import PairsField, ValuesField, WordsField
from archives import load_stories, store_archive


def prepared(story):
    return StoryIndex().full_prepare(StoryIndex().index_queryset().get(pk=story.pk))


def test_prepared_story(db, fresh_index):
    story = store_archive(load_stories(), only_its_entities=True)["Security Council Debates Aid Convoys"]
    data = prepared(story)
    assert data["id"] == f"digest.story.{story.pk}"
    assert data["text"] == f"{story.headline}\n{story.headline}\n{story.body}"
    assert data["headline"] == "Security Council Debates Aid Convoys"
    assert str(data["digest_date"]) == "2014-12-02"
    assert data["month"] == data["month_exact"] == "2014-12"
    assert data["place"] == data["place_exact"] == ["Aleppo", "Deir ez-Zor", "St. Petersburg"]
    assert data["actor_exact"] == ["U.N. Security Council"]
    assert data["source_exact"] == ["U.S. News"]
    assert data["fingerprint"] == story_fingerprint(story)


def test_fingerprint_changes_with_entities_and_text(db, fresh_index):
    story = store_archive(load_stories(), only_its_entities=True)["Assad Rejects Talks Proposal"]
    before = story_fingerprint(StoryIndex().index_queryset().get(pk=story.pk))
    Mention.objects.filter(story=story, entity__kind=Entity.SOURCE).delete()
    after = story_fingerprint(StoryIndex().index_queryset().get(pk=story.pk))
    assert before != after
    story.body += " More."
    story.save()
    assert story_fingerprint(StoryIndex().index_queryset().get(pk=story.pk)) != after


def test_index_queryset_reads_stories_in_two_queries(db, fresh_index, django_assert_num_queries):
    store_archive(load_stories(), only_its_entities=True)
    with django_assert_num_queries(2):
        stories = list(StoryIndex().index_queryset())
        [StoryIndex().prepare_place(s) for s in stories]
    assert len(stories) == 7


def test_index_queryset_leaves_the_digests_source_text_in_the_database(db, fresh_index):
    store_archive(load_stories(), only_its_entities=True)
    story = StoryIndex().index_queryset().first()
    assert "source_text" in story.digest.get_deferred_fields()
    assert "position" in story.get_deferred_fields()


def test_a_story_loaded_elsewhere_reads_its_entity_names_in_one_query(db, fresh_index, django_assert_num_queries):
    story = store_archive(load_stories(), only_its_entities=True)["Security Council Debates Aid Convoys"]
    story = type(story).objects.get(pk=story.pk)
    with django_assert_num_queries(1):
        data = [StoryIndex().prepare_place(story), StoryIndex().prepare_actor(story), StoryIndex().prepare_source(story)]
    assert data == [["Aleppo", "Deir ez-Zor", "St. Petersburg"], ["U.N. Security Council"], ["U.S. News"]]


def test_backend_schema(fresh_index):
    fresh_index.setup()
    schema = fresh_index.schema
    assert isinstance(schema["text"], WordsField) and not schema["text"].stored
    assert isinstance(schema["text_pairs"], PairsField)
    assert isinstance(schema["headline"], WordsField) and schema["headline"].stored
    for name in ("place_exact", "actor_exact", "source_exact", "month_exact"):
        assert isinstance(schema[name], ValuesField)
    assert sorted(fresh_index.facet_fields) == ["actor_exact", "month_exact", "place_exact", "source_exact"]
    assert fresh_index.date_field == "digest_date"


def test_words_fold_case_and_accents_and_drop_stop_words():
    assert words("The U.S.-led strikes on Ḥomṣ and Şanlıurfa, Raqqa’s museum") == [
        "u.s", "led", "strikes", "homs", "sanliurfa", "raqqa", "museum"]
    assert line_words("Free Syrian Army\n\nthe army said") == [["free", "syrian", "army"], ["army", "said"]]


def test_ascii_text_gives_the_words_folding_each_word_gives():
    """words() lower-cases ASCII text at once; it must find what folding word by word finds."""
    from pathlib import Path

    from search.text import STOP, WORD, fold

    checked = 0
    for path in sorted(Path(__file__).parent.joinpath("fixtures").rglob("*")):
        if path.suffix not in (".txt", ".md", ".json", ".html", ".eml"):
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.isascii():
                assert words(line) == [w for w in map(fold, WORD.findall(line)) if len(w) > 1 and w not in STOP]
                checked += 1
    assert checked > 1000


def test_facet_values_are_indexed_verbatim():
    assert [t for t, *_ in ValuesField().index(["Deir ez-Zor", "L'Orient-Le Jour"])] == [
        "Deir ez-Zor".encode(), "L'Orient-Le Jour".encode()]


def test_pairs_carry_positions_within_lines():
    pairs = {t.decode(): v for t, _, _, v in PairsField().index("free syrian army\nsyrian army")}
    assert sorted(pairs) == ["free syrian", "syrian army"]
    assert len(pairs["syrian army"]) == 4  # two uint16 positions: one per line


def test_pair_positions_leave_a_gap_after_every_line():
    from array import array

    postings = PairsField().postings("Free Syrian Army\nHoms\n\nthe Syrian army, free Syrian fighters")
    positions = {pair: (weight, list(array("H", value))) for pair, weight, value in postings}
    assert positions == {
        "free syrian": (2.0, [0, 6]),
        "syrian army": (2.0, [1, 4]),
        "army free": (1.0, [5]),
        "syrian fighters": (1.0, [7]),
    }


def test_positions_past_the_last_are_the_last():
    from array import array

    from search.whoosh.fields import MAX_POSITION

    postings = {pair: list(array("H", value)) for pair, _, value in PairsField().postings("ab cd " * 40000)}
    assert postings["ab cd"][:2] == [0, 2] and postings["ab cd"][-3:] == [MAX_POSITION] * 3
    assert len(postings["ab cd"]) == 40000


def test_an_unreadable_table_of_contents_is_refused_not_replaced(indexed_stories, fresh_index):
    import os

    from search.contract import IndexDamaged

    path = fresh_index.path
    for name in os.listdir(path):
        if name.endswith(".toc"):
            with open(os.path.join(path, name), "wb") as toc:
                toc.write(b"garbage")
    fresh_index.state.index = fresh_index.state.view = None
    fresh_index.setup()
    with pytest.raises(IndexDamaged, match="^its table of contents cannot be read"):
        connections["default"].get_backend().current_view()
    fresh_index.clear()  # what check_index --fix and rebuild_index do first
    assert connections["default"].get_backend().current_view().doc_count == 0


def test_the_field_name_constants_are_the_story_index_fields():
    from search.results import (
        BODY_FIELD, DATE_FIELD, FACET_KINDS, HEADLINE_FIELD, MONTH_FIELD, TEXT_FIELD,
    )

    fields = StoryIndex.fields
    assert fields[TEXT_FIELD].document
    assert {HEADLINE_FIELD, BODY_FIELD, DATE_FIELD, MONTH_FIELD, *FACET_KINDS} <= set(fields)
    assert fields[DATE_FIELD].field_type == "date"
    assert all(fields[name].faceted for name in (MONTH_FIELD, *FACET_KINDS))
    assert {kind.field for kind in FACET_KINDS.values()} == {f"{name}_exact" for name in FACET_KINDS}


def test_every_class_an_index_pickles_is_found_under_the_module_older_indexes_name(tmp_path):
    """An index's table of contents pickles its schema and segments; an index written before the
    engine became a package names their classes under search.whoosh_backend."""
    import pickle
    import pickletools
    import sys

    from whoosh.fields import ID as WHOOSH_ID
    from whoosh.fields import Schema
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from search.whoosh.codec import ArchiveCodec, ArchiveSegmentWriter

    schema = Schema(id=WHOOSH_ID(stored=True, unique=True), text=WordsField(), text_pairs=PairsField(),
                    place_exact=ValuesField())
    ix = FileStorage(str(tmp_path)).create_index(schema)
    writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
    writer.add_document(id="1", text="Aleppo shelling", text_pairs="Aleppo shelling", place_exact=["Aleppo"])
    writer.commit()
    toc = TOC.read(ix.storage, ix.indexname)
    ours = set()
    for pickled in (pickle.dumps(toc.schema, 2), pickle.dumps(toc.segments, 2)):
        for op, arg, _ in pickletools.genops(pickled):
            if op.name == "GLOBAL" and arg.startswith("search."):
                ours.add(tuple(arg.split(" ")))
    assert {name for _, name in ours} >= {"WordsField", "PairsField", "PairPositions", "ValuesField",
                                            "ArchiveAnalyzer", "ArchiveCodec"}
    old = sys.modules["search.whoosh_backend"]
    for module, name in ours:
        assert getattr(old, name) is getattr(sys.modules[module], name)
