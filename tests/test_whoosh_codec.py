"""search.whoosh.codec: what it writes is what Whoosh's own classes would write and read back."""
from whoosh.codec.whoosh3 import W3TermInfo

from search.whoosh.codec import inlined_term_info


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
