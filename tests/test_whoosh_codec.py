"""search.whoosh.codec: what it writes is what Whoosh's own classes would write and read back."""
from whoosh.codec.whoosh3 import W3TermInfo

from search.whoosh.codec import TermTableWriter, inlined_term_info


def test_inlined_term_info_is_the_bytes_whooshs_term_info_writes():
    cases = [
        ((7,), (1.0,), (b"",)),
        ((0, 3, 9), (2.0, 1.0, 5.0), (b"\x01\x00\x02\x00", b"\x07\x00", b"")),
        (tuple(range(15)), (1.0,) * 15, (b"",) * 15),
    ]
    for ids, weights, values in cases:
        info = W3TermInfo(sum(weights), len(ids), None, 0, max(weights), ids[0], ids[-1])
        info.set_inlined(ids, weights, [v for v in values if v])
        assert inlined_term_info(ids, weights, values) == info.to_bytes()
        read = W3TermInfo.from_bytes(inlined_term_info(ids, weights, values))
        assert read.inlined_postings() == (ids, weights, tuple(v for v in values if v))
        assert (read.doc_frequency(), read.weight(), read.min_id(), read.max_id()) == (
            len(ids), sum(weights), ids[0], ids[-1])


def test_a_merge_keeps_every_posting_and_its_positions(db, fresh_index):
    """Inlined and block posting lists, positions included, read back the same after a merge."""
    import numpy as np
    from whoosh.writing import OPTIMIZE

    from search.whoosh.codec import ArchiveCodec, ArchiveSegmentWriter, read_postings
    from search.whoosh.fields import PairsField, WordsField
    from whoosh.fields import Schema

    schema = Schema(text=WordsField(), text_pairs=PairsField())
    fresh_index.setup()
    ix = fresh_index.storage.create_index(schema, indexname="codec")
    texts = [f"syrian army {'free syrian army ' * (n % 3)}\nstory {n}" for n in range(40)]
    for first in range(0, 40, 10):  # four segments
        writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
        for text in texts[first:first + 10]:
            writer.add_document(text=text, text_pairs=text)
        writer.commit()
    before = _postings(ix, read_postings)
    writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
    writer.commit(mergetype=OPTIMIZE)
    assert len(ix.refresh()._segments()) == 1
    after = _postings(ix, read_postings)
    assert after.keys() == before.keys() and len(after) > 40
    for key, (ids, weights, blob) in before.items():
        assert np.array_equal(after[key][0], ids) and np.array_equal(after[key][1], weights) and after[key][2] == blob
    assert len(before["text_pairs", "syrian army"][0]) == 40  # a block, not inlined

    writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
    writer.delete_document(5)
    writer.commit()
    writer = ArchiveSegmentWriter(ix, codec=ArchiveCodec(), compound=False)
    writer.add_document(text="story 40", text_pairs="story 40")
    # The writer's own document comes first; the deleted one leaves and those after it move up one.
    writer.commit(mergetype=OPTIMIZE)
    merged = _postings(ix, read_postings)
    for key, (ids, weights, _) in after.items():
        keep = ids != 5
        old = merged[key][0] > 0
        assert np.array_equal(merged[key][0][old], ids[keep] + 1 - (ids[keep] > 5))
        assert np.array_equal(merged[key][1][old], weights[keep])
    assert merged["text_pairs", "story 40"][0].tolist() == [0]


def _postings(ix, read_postings):
    """(field, term) -> (global ids, weights, values) over every segment of the index."""
    import numpy as np

    found = {}
    with ix.searcher() as searcher:
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            for field in ("text", "text_pairs"):
                for btext in reader.lexicon(field):
                    ids, weights, blob = read_postings(reader, field, btext, values=True)
                    key = (field, btext.decode())
                    old = found.get(key, (np.empty(0, np.int64), np.empty(0, np.float32), b""))
                    found[key] = (np.concatenate([old[0], ids + offset]), np.concatenate([old[1], weights]), old[2] + blob)
    return found


def test_the_term_table_reads_back_as_whooshs_own_and_finds_every_term(tmp_path):
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    storage = FileStorage(str(tmp_path))
    entries = sorted((f"\x00\x01word{n} pair{n * 7}".encode(), f"info {n};".encode() * (n % 5 + 1)) for n in range(3000))
    for name, writer_class in (("whoosh", OrderedHashWriter), ("ours", TermTableWriter)):
        writer = writer_class(storage.create_file(name))
        for key, value in entries:
            writer.add(key, value)
        writer.close()
    whoosh, ours = (OrderedHashReader.open(storage, name) for name in ("whoosh", "ours"))

    assert (whoosh.hashtype, ours.hashtype) == (0, 1)  # MD5, CRC32: the reader follows the file
    assert list(ours.items()) == list(whoosh.items()) == entries
    assert all(ours[key] == value for key, value in entries)
    for probe in (b"\x00\x01word2", b"\x00\x01word2999 pair", b"\x00\x00"):
        assert ours.closest_key(probe) == whoosh.closest_key(probe)
    assert b"\x00\x01word1 pair8" not in ours
