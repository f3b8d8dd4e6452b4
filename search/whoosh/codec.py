"""Writing and reading posting lists: the only module that touches Whoosh's private internals.

Written against whoosh-reloaded 2.7.5 (requirements.txt pins it): its W3 codec's posting block
layout, its term-info and per-document length column, and the block matcher's private
attributes (``_terms``, ``_read_data``, ``_data``, ``_next_block``, ``_perdoc``), the
multi-term queries' ``_btexts``, how the table of contents and segment files are named
(``latest_generation``, ``segment_files``), and the term table's hash file (the field writer's
``_tindex``, ``filetables._lengths`` and ``_hash_functions``). A Whoosh upgrade is checked here
and nowhere else.

Writing groups postings by field and term in memory and writes a term at a time
(``ArchiveSegmentWriter``, ``ArchiveFieldWriter``, ``TermTableWriter``) into uncompressed blocks
(``ArchiveCodec``);
segments are kept as separate files (a compound segment is read into memory when opened) and
merged by tiers (``merge_by_tier``); each segment records its files' sizes (``file_sizes``).
Reading walks blocks, not postings (``read_postings``).
"""
import math
import pickle
from array import array
from collections import defaultdict
from itertools import groupby, repeat
from operator import itemgetter
from zlib import crc32

import numpy as np
from haystack.constants import DJANGO_ID
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo, _lenfield,
)
from whoosh.filedb.filetables import HashWriter, OrderedHashWriter, _hash_functions, _lengths, crc_hash
from whoosh.index import TOC
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.util.numlists import GrowableArray
from whoosh.writing import PostingPool, SegmentWriter

from .fields import ArchiveField, PairPositions

# Posting lists shorter than this are stored inline in the term table.
INLINE_POSTINGS = 16
BLOCK_POSTINGS = 128
MERGE_FACTOR = 8
MAX_MERGED_DOCS = 20_000
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], np.float32)


class GroupedPostings:
    """The pool's postings by field and term: fieldname -> term -> [(docnum, weight, value bytes)].

    A writer numbers its documents upwards (its own, then those of merged
    segments), so each term's postings arrive in document order: only the
    terms need sorting. Terms are kept as text and encoded once, here; UTF-8
    sorts as the text does.
    """

    def __init__(self, fields):
        self.fields = fields

    def groups(self):
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            for term in sorted(terms):
                yield (fieldname, term.encode("utf-8")), terms[term]

    def __iter__(self):
        for (fieldname, btext), postings in self.groups():
            for docnum, weight, vbytes in postings:
                yield fieldname, btext, docnum, weight, vbytes


class ArchivePostingPool(PostingPool):
    """Postings gathered by term in memory, so the segment is written a term at a time.

    Whoosh's pool sorts one tuple per posting (about 300 per story here); a
    batch of stories fits in memory, so grouping by term as they arrive and
    sorting only the distinct terms is several times cheaper.
    """

    def __init__(self, tempstore, segment, **kwargs):
        super().__init__(tempstore, segment, **kwargs)
        self.fields = {}

    def terms(self, fieldname):
        """The term -> postings table of one field (a new term starts an empty list)."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = defaultdict(list)
        return terms

    def add(self, item):
        fieldname, btext, docnum, weight, vbytes = item
        self.terms(fieldname).setdefault(btext.decode("utf-8"), []).append((docnum, weight, vbytes))

    def iter_postings(self):
        return GroupedPostings(self.fields)

    def cleanup(self):
        # Freed now, once written: the writer outlives its commit in reference cycles, and
        # millions of postings left to the garbage collector cost seconds per batch.
        self.fields = {}
        super().cleanup()


def merge_by_tier(writer, segments):
    """Merge policy: once MERGE_FACTOR segments of the same order of size exist, merge them.

    Each search pays a little per segment and each ingestion writes a small
    one, so small segments are merged by tiers. Merging costs about as much
    as indexing (word pairs make the term table large), so segments that would
    grow past MAX_MERGED_DOCS are left as they are: a bulk rebuild writes
    BATCH-sized segments once and never rewrites them.
    """
    tiers = {}
    for segment in segments:
        tier = int(math.log(max(segment.doc_count(), 1), MERGE_FACTOR))
        tiers.setdefault(tier, []).append(segment)
    kept = []
    for tier_segments in tiers.values():
        if len(tier_segments) < MERGE_FACTOR or sum(s.doc_count() for s in tier_segments) > MAX_MERGED_DOCS:
            kept += tier_segments
            continue
        for segment in tier_segments:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
    return kept


class ArchiveSegmentWriter(SegmentWriter):
    """Whoosh's segment writer, adding documents with less work per posting.

    Only the backend's own documents come here: no boosts, spelling fields,
    term vectors or ``_stored_`` overrides, so add_document skips them.
    """

    def __init__(self, ix, **kwargs):
        try:
            super().__init__(ix, **kwargs)
            self.pool = ArchivePostingPool(self._tempstorage, self.newsegment)
        except BaseException:
            release_write_lock(self)  # Whoosh keeps it when setting up fails (a full disk)
            raise

    def _finalize_segment(self):
        segment = super()._finalize_segment()
        # search.whoosh.integrity checks them whenever the index is opened or a commit is read.
        segment.file_sizes = {name: self.storage.file_length(name) for name in segment.list_files(self.storage)}
        return segment

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """A merged segment's postings, reading its term table in order (segment_postings).

        Whoosh's own merge reads values posting by posting, which this
        module's blocks do not support (their values are one blob).
        """
        wanted = {name for name in self.schema.names() if self.schema[name].indexed}
        for fieldname, btext, ids, weights, values in segment_postings(reader, wanted):
            postings = self.pool.terms(fieldname)[btext.decode("utf-8")]
            if docmap is None:  # no deletions: only the numbers move, at C speed
                postings.extend(zip([startdoc + docnum for docnum in ids], weights, values))
            else:
                for docnum, weight, vbytes in zip(ids, weights, values):
                    new = docmap.get(docnum)
                    if new is not None:
                        postings.append((new, weight, vbytes))

    def add_document(self, **fields):
        self._check_state()
        schema, docnum, perdoc, pool = self.schema, self.docnum, self.perdocwriter, self.pool
        perdoc.start_doc(docnum)
        for fieldname in sorted(fields):
            value, field = fields[fieldname], schema[fieldname]
            length = 0
            if field.indexed:
                terms = pool.terms(fieldname)
                if isinstance(field, ArchiveField):
                    postings = field.postings(value)
                else:  # the unique id
                    postings = [(t.decode("utf-8"), weight, v) for t, _, weight, v in field.index(value)]
                # A few hundred postings a story: the defaultdict's lookup in C, no test per posting.
                for term, weight, vbytes in postings:
                    terms[term].append((docnum, weight, vbytes))
                if field.scorable:
                    length = int(sum(map(_weight, postings)))
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


_weight = itemgetter(1)


def release_write_lock(writer):
    """Let go of the index's write lock if this writer still holds it (a write that failed midway):
    a lock left held would make every later write in this process wait for it."""
    lock = getattr(writer, "writelock", None)
    if getattr(lock, "fd", None) is not None:
        lock.release()


class TermTableWriter(OrderedHashWriter):
    """Whoosh's term table (an ordered hash file of term infos), with less work per term.

    Most terms of a segment of real prose are word pairs no other segment has, so the term table
    is most of writing one: each entry is one write, its position is counted rather than asked of
    the file, and keys are hashed with CRC32 (in C) rather than MD5 (a hex string and an int parse
    per term). The file names its hash function in its header, which Whoosh's reader follows, so
    segments written before, with MD5, read as they did.
    """

    HASH_TYPE = _hash_functions.index(crc_hash)

    def __init__(self, dbfile):
        HashWriter.__init__(self, dbfile, hashtype=self.HASH_TYPE)  # OrderedHashWriter's sets MD5
        self.index = GrowableArray("H")
        self.lastkey = emptybytes
        self._position = dbfile.tell()

    def add(self, key, value):
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        position = self._position
        self.index.append(position)
        self.dbfile.write(_lengths.pack(len(key), len(value)) + key + value)
        self._position = position + _lengths.size + len(key) + len(value)
        hashed = crc32(key)  # crc_hash's value, without its call
        self.buckets[hashed & 255].append((hashed, position))
        self.lastkey = key

    def close(self):
        if self._position != self.dbfile.tell():  # something else wrote to the file: the positions are wrong
            raise RuntimeError("the term table's file was written to outside TermTableWriter")
        super().close()


class ArchiveFieldWriter(W3FieldWriter):
    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        # Whoosh's writer has only written its header yet: the file starts again with this one's.
        terms_file = self._tindex.dbfile
        terms_file.seek(self._tindex.startoffset)
        self._tindex = TermTableWriter(terms_file)
        self._fieldmap = self._tindex.extras["fieldmap"] = {}

    def add_postings(self, schema, lengths, items):
        """Write the postings a term at a time.

        Most terms here (word pairs) occur in a few stories: their postings
        go inline into the term table in one step instead of a block each.
        """
        if isinstance(items, GroupedPostings):
            groups = items.groups()
        else:
            groups = ((key, [p[2:] for p in group]) for key, group in groupby(items, key=_field_and_term))
        current = None
        for (fieldname, btext), postings in groups:
            if fieldname != current:
                if current is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                current = fieldname
            ids, weights, values = zip(*postings)
            if len(postings) < INLINE_POSTINGS:
                info = inlined_term_info(ids, weights, values)
            else:
                info = W3TermInfo(sum(weights), len(ids), None, 0, max(weights), ids[0], ids[-1])
                info.set_extent(*self._write_blocks(postings))
                info = info.to_bytes()
            self._tindex.add(pack_ushort(self._fieldid) + btext, info)
        if current is not None:
            self.finish_field()

    def _write_blocks(self, postings):
        """W3PostingsWriter's block layout, written a block (not a posting) at a time.

        Ids and weights go in as arrays (Whoosh's reader iterates them like its
        tuples); values as one blob per block, which only read_postings reads.
        """
        postfile = self._postfile
        start = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        has_values = self._format.fixed_value_size() != 0
        for first in range(0, len(postings), BLOCK_POSTINGS):
            block = postings[first:first + BLOCK_POSTINGS]
            ids, weights, values = zip(*block)
            values = emptybytes.join(values) if has_values else None
            if weights.count(1.0) == len(weights):
                mini_weights = None
            elif weights.count(weights[0]) == len(weights):
                mini_weights = weights[0]
            else:
                mini_weights = array("f", weights)
            # Arrays, not tuples: unpickling one is a single copy, not 128 objects.
            deltas = array("I", [b - a for a, b in zip((0, *ids), ids)])
            data = pickle.dumps((deltas, mini_weights, values), 2)
            info = pickle.dumps((len(ids), ids[-1], max(weights), 0, 0, 0), 2)
            size = len(info) + len(data)
            postfile.write_int(-size if first + BLOCK_POSTINGS >= len(postings) else size)
            postfile.write(info)
            postfile.write(data)
        return start, postfile.tell() - start


_TERM_INFO = W3TermInfo._struct


def inlined_term_info(ids, weights, values):
    """The bytes W3TermInfo.to_bytes() gives for postings inlined in the term table, built directly.

    Most terms (word pairs) are inlined: making, filling and encoding a W3TermInfo object for
    each was a fifth of a segment's write. Lengths are left out (0), as ArchiveCodec does.
    """
    return _TERM_INFO.pack(True, sum(weights), len(ids), 0, 0, max(weights), ids[0], ids[-1]) + pickle.dumps(
        (ids, weights, tuple(v for v in values if v)), 2)


def _field_and_term(posting):
    return posting[0], posting[1]


class ArchiveCodec(W3Codec):
    """Whoosh's codec with uncompressed posting blocks (reading one is a bare unpickle).

    Per-block length statistics are left out: they only serve Whoosh's
    block-quality skipping, which this backend never uses, and looking up
    every posting's document length cost a fifth of indexing time.
    """

    length_stats = False

    def __init__(self):
        super().__init__(blocklimit=BLOCK_POSTINGS, compression=0)

    def field_writer(self, storage, segment):
        return ArchiveFieldWriter(self, storage, segment)


def read_postings(reader, fieldname, term, values=False):
    """(document numbers, weights[, values blob]) of one term in one segment, a block at a time.

    Blocks are pickled (delta-coded ids, weights, values) tuples as written by
    ArchiveFieldWriter; walking blocks instead of postings is what makes a
    20,000-document term cost a few milliseconds.
    """
    try:
        info = reader.term_info(fieldname, term)
    except TermNotFound:
        empty = (np.empty(0, np.int64), np.empty(0, np.float32))
        return (*empty, emptybytes) if values else empty
    if info.is_inlined():
        ids, weights, vs = info.inlined_postings()
        found = (np.asarray(ids, np.int64), _weights(weights, len(ids)))
        return (*found, emptybytes.join(vs)) if values else found
    id_blocks, weight_blocks, value_blocks = [], [], []
    for deltas, weights, blob in _blocks(reader, fieldname, term, info):
        id_blocks.append(np.cumsum(np.asarray(deltas, np.int64)))
        weight_blocks.append(_weights(weights, len(deltas)))
        if values and blob:
            value_blocks.append(blob)
    found = (np.concatenate(id_blocks), np.concatenate(weight_blocks))
    return (*found, emptybytes.join(value_blocks)) if values else found


def _blocks(reader, fieldname, term, info):
    """The (deltas, weights, values blob) blocks of a term's posting list that is not inlined."""
    # The raw matcher, deleted documents included: reader.postings() would wrap it in a
    # per-posting FilterMatcher. Searches mask deletions with the view's `live` array and
    # merges drop them through their docmap.
    terms = reader._terms
    matcher = terms._codec.postings_reader(terms._postfile, info, reader.schema[fieldname].format,
                                           term=(fieldname, term))
    while matcher.is_active():
        matcher._read_data()
        yield matcher._data
        matcher._next_block()


def segment_postings(reader, fieldnames):
    """Every posting list of these fields in one segment, in term order, with each posting's
    value: (fieldname, term bytes, ids, weights, values), the last three as lists.

    A merge reads the term table front to back: looking each term up in its hash
    table, as read_postings does, was most of a merge's time.
    """
    for (fieldname, btext), info in reader._terms.items():
        if fieldname not in fieldnames:
            continue
        if info.is_inlined():
            ids, weights, vs = info.inlined_postings()
            yield fieldname, btext, ids, weights, vs or repeat(emptybytes, len(ids))
            continue
        pair_positions = isinstance(reader.schema[fieldname].format, PairPositions)
        ids, weights, values = [], [], []
        for deltas, block_weights, blob in _blocks(reader, fieldname, btext, info):
            ids += np.cumsum(np.asarray(deltas, np.int64)).tolist()  # each block's deltas start from 0
            block_weights = _weights(block_weights, len(deltas)).tolist()
            weights += block_weights
            if pair_positions:  # a posting's positions: two bytes for each of its weight's occurrences
                ends = np.cumsum(np.asarray(block_weights, np.int64) * 2).tolist()
                values += [blob[start:end] for start, end in zip([0, *ends], ends)]
            else:
                values += repeat(emptybytes, len(deltas))
        yield fieldname, btext, ids, weights, values


def _weights(weights, n):
    if weights is None:
        return np.ones(n, np.float32)
    if isinstance(weights, float):
        return np.full(n, weights, np.float32)
    return np.asarray(weights, np.float32)


def delete_primary_keys(writer, pks):
    """Delete the documents of these primary keys (the one indexed model's), before they are replaced.

    One pass over each segment's primary-key column; a query of one id term
    per document cost about a second per 5,000 on a twenty-segment index.
    """
    wanted = np.asarray(pks, np.int64)
    for sub, offset in writer.searcher().leaf_searchers():
        reader = sub.reader()
        n = reader.doc_count_all()
        if not n:
            continue
        stored = np.fromiter(reader.column_reader(DJANGO_ID), np.int64, count=n)
        for docnum in np.flatnonzero(np.isin(stored, wanted)).tolist():
            if not reader.is_deleted(docnum):
                writer.delete_document(offset + docnum)


def field_lengths(reader, fieldname, n):
    """Each document's length in one scored field (Whoosh's byte-coded lengths column), as floats."""
    column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return np.zeros(n, np.float32)
    return _LENGTH_OF_BYTE[np.fromiter(column, np.uint8, count=n)]


def expands(query):
    """Whether a query (a prefix, a wildcard) matches the terms it expands to (MultiTerm._btexts)."""
    return hasattr(query, "_btexts")


def expanded_terms(query, reader):
    """The terms of one segment a multi-term query expands to, as bytes, in term order."""
    return query._btexts(reader)


def latest_generation(storage, indexname):
    """The generation of the newest table of contents in the directory, -1 when it has none."""
    return TOC._latest_generation(storage, indexname)


def segment_files(names, indexname):
    """The names among these that are segment files of the index."""
    pattern = TOC._segment_pattern(indexname)
    return sorted(name for name in names if pattern.match(name))
