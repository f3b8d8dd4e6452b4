"""The archive's haystack backend for Whoosh: every Whoosh-specific line lives here.

Haystack's stock Whoosh backend answers a faceted search by asking Whoosh to
group hit by hit, one date-range query per month, a model-restriction query
and a merge of every posting list for an empty query; at 100,000 stories that
takes seconds. This backend keeps haystack's interface (views call
``SearchQuerySet().facet().narrow().order_by()``) and answers differently:

* Per index segment, the facet values, date and primary key of every document
  are read once into numpy arrays (``SegmentTables``) and kept while the
  segment lives, so an update builds only the new segment's arrays.
* A query is evaluated into arrays of matching document numbers and BM25
  scores straight from the posting blocks (``read_postings``); counting every
  facet is then one ``numpy.bincount``, a selection or an exclusion a boolean
  mask, the page a partial sort.
* Words are indexed without positions (decoding positions dominated every
  query); phrases come from a field of adjacent word pairs that carries the
  pairs' positions: a two-word phrase is one term, a longer one its pairs at
  consecutive positions, both exact.
* Writing groups postings by field and term in memory and writes a term at
  a time (``ArchiveSegmentWriter``, ``ArchiveFieldWriter``); a story's text
  is analysed once for its words and its pairs, and garbage collection waits
  for the end of each batch. Segments are kept as separate files (a compound
  segment is read into memory when opened) and merged by tiers
  (``merge_by_tier``).

Relies on whoosh-reloaded 2.7.5's posting block layout (read_postings,
ArchiveFieldWriter._write_blocks).
"""
import datetime
import heapq
import logging
import math
import os
import pickle
import re
import shutil
import threading
from array import array
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter

import numpy as np
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import columns, formats, index
from whoosh import query as wq
from whoosh.analysis import Analyzer, Token
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3TermInfo, _lenfield,
)
from whoosh.fields import COLUMN, STORED, FieldType, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.system import emptybytes, pack_ushort
from whoosh.util.numeric import byte_to_length
from whoosh.writing import OPTIMIZE, LockError, PostingPool, SegmentWriter

from archive.memory import collection_paused
from search.indexing import BATCH
from search.text import STOP, WORD, fold, line_words, snippet, words

log = logging.getLogger(__name__)

PAIRS_SUFFIX = "_pairs"
# A query may name at most this many terms (a 10,000-character paste must not
# read thousands of posting lists); a wildcard may expand to at most this many.
MAX_QUERY_TERMS = 64
MAX_EXPANSION = 512
WRITE_LOCK_TIMEOUT = 120.0
# Posting lists shorter than this are stored inline in the term table.
INLINE_POSTINGS = 16
BLOCK_POSTINGS = 128
MERGE_FACTOR = 8
MAX_MERGED_DOCS = 20_000
MAX_POSITION = 65535  # pair positions are uint16; a longer story's last pairs share the last
POSITION_SPAN = 1 << 20
BM25_B, BM25_K1 = 0.75, 1.2


class QueryNotSearchable(SearchBackendError):
    """A query this backend refuses to run; the message is meant for the user."""


# ---------------------------------------------------------------- analysis

class ArchiveAnalyzer(Analyzer):
    """Whoosh's Analyzer interface over ``words``, so the query parser agrees with indexing."""

    def __eq__(self, other):
        return type(other) is type(self)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, mode="", tokenize=True, **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:  # a wildcard or prefix pattern: keep its * and ?
            token.text, token.stopped, token.boost = fold(value), False, 1.0
            token.pos, token.startchar, token.endchar = start_pos, start_char, start_char + len(value)
            yield token
            return
        pos = start_pos
        for match in WORD.finditer(value):
            word = fold(match.group())
            stopped = len(word) < 2 or word in STOP
            if stopped and removestops:
                continue
            token.text, token.stopped, token.boost = word, stopped, 1.0
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
                pos += 1
            if chars:
                token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
            yield token


# ---------------------------------------------------------------- field types

# The last text analysed: a document's text and pairs fields hold the same string, analysed once.
_last_analysed = (None, None)


def analysed_lines(text):
    """line_words(text), remembered for the next field of the same document."""
    global _last_analysed
    last_text, lines = _last_analysed
    if last_text is not text:
        lines = line_words(text)
        _last_analysed = (text, lines)
    return lines


class ArchiveField(FieldType):
    """A field that lists its postings itself: ``postings(value)`` -> [(term, weight, value bytes)].

    ArchiveSegmentWriter files them straight into its pool; ``index`` is
    Whoosh's interface over the same postings.
    """

    def postings(self, value):
        raise NotImplementedError

    def index(self, value, **kwargs):
        for term, weight, vbytes in self.postings(value):
            yield term.encode("utf-8"), int(weight), weight, vbytes


class WordsField(ArchiveField):
    """Scorable words and no positions: a posting is a document number and its weight (the frequency)."""

    def __init__(self, stored=False):
        super().__init__(formats.Existence(), ArchiveAnalyzer(), scorable=True, stored=stored)
        self.multitoken_query = "phrase"

    def postings(self, value):
        counts = Counter(chain.from_iterable(analysed_lines(value)))
        return [(word, float(freq), emptybytes) for word, freq in counts.items()]


class PairPositions(formats.Format):
    """A pair's positions in the story as raw uint16s, one per occurrence (the posting's weight).

    ArchiveFieldWriter writes a block's positions as one blob, so numpy reads
    a whole posting list at once; only this module reads them back.
    """

    posting_size = -1

    def word_values(self, value, analyzer, **kwargs):
        raise NotImplementedError("PairsField indexes its own values")


class PairsField(WordsField):
    """Adjacent word pairs ("free syrian", "syrian army") with their positions.

    A two-word phrase is one pair term; a longer phrase is its pairs at
    consecutive positions. Text words carry no positions, which keeps every
    plain query cheap; pairs never span two lines (headline, paragraphs).
    """

    def __init__(self):
        super().__init__()
        self.format = PairPositions()

    def postings(self, value):
        positions = {}
        position = 0
        for ws in analysed_lines(value):
            for pair in map(" ".join, zip(ws, ws[1:])):
                where = positions.get(pair)
                if where is None:
                    positions[pair] = [position]
                else:
                    where.append(position)
                position += 1
            position += 1
        # Most pairs occur once: their value is a slice of one blob of every position.
        every = array("H", [min(p, MAX_POSITION) for p in range(position)]).tobytes()
        return [
            (pair, 1.0, every[2 * where[0]:2 * where[0] + 2]) if len(where) == 1
            else (pair, float(len(where)), array("H", [min(p, MAX_POSITION) for p in where]).tobytes())
            for pair, where in positions.items()
        ]


class ValuesField(ArchiveField):
    """Facet values indexed verbatim, one term per value, whatever characters it holds."""

    def __init__(self, stored=False):
        super().__init__(formats.Existence(), None, scorable=False, stored=stored)

    def postings(self, value):
        return [(v, 1.0, emptybytes) for v in ([value] if isinstance(value, str) else dict.fromkeys(value))]

    def process_text(self, qstring, mode="", **kwargs):
        return iter([qstring])

    def self_parsing(self):
        return False


# ---------------------------------------------------------------- codec

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
        """The term -> postings table of one field."""
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
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
        super().__init__(ix, **kwargs)
        self.pool = ArchivePostingPool(self._tempstorage, self.newsegment)

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """A merged segment's postings, a term at a time through read_postings.

        Whoosh's own merge reads values posting by posting, which this
        module's blocks do not support (their values are one blob).
        """
        for fieldname in self.schema.names():
            field = self.schema[fieldname]
            if not field.indexed:
                continue
            terms = self.pool.terms(fieldname)
            pair_positions = isinstance(field.format, PairPositions)
            for btext in reader.lexicon(fieldname):
                ids, weights, blob = read_postings(reader, fieldname, btext, values=True)
                ends = np.cumsum(weights.astype(np.int64) * 2).tolist() if pair_positions else None
                postings = terms.setdefault(btext.decode("utf-8"), [])
                for i, (docnum, weight) in enumerate(zip(ids.tolist(), weights.tolist())):
                    new = startdoc + docnum if docmap is None else docmap.get(docnum)
                    if new is not None:
                        vbytes = blob[(ends[i - 1] if i else 0):ends[i]] if pair_positions else emptybytes
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
                for term, weight, vbytes in postings:
                    found = terms.get(term)
                    if found is None:
                        terms[term] = [(docnum, weight, vbytes)]
                    else:
                        found.append((docnum, weight, vbytes))
                if field.scorable:
                    length = int(sum(map(_weight, postings)))
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            if field.column_type:
                perdoc.add_column_value(fieldname, field.column_type, field.to_column_value(value))
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1


_weight = itemgetter(1)


class ArchiveFieldWriter(W3FieldWriter):
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
            info = W3TermInfo(sum(weights), len(ids), None, 0, max(weights), ids[0], ids[-1])
            if len(postings) < INLINE_POSTINGS:
                info.set_inlined(ids, weights, [v for v in values if v])
            else:
                info.set_extent(*self._write_blocks(postings))
            self._tindex.add(pack_ushort(self._fieldid) + btext, info.to_bytes())
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


# ---------------------------------------------------------------- postings

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
    # The raw matcher, deleted documents included: reader.postings() would wrap it in a
    # per-posting FilterMatcher. Searches mask deletions with the view's `live` array and
    # merges drop them through their docmap.
    matcher = reader._terms.matcher(fieldname, term, reader.schema[fieldname].format)
    id_blocks, weight_blocks, value_blocks = [], [], []
    while matcher.is_active():
        matcher._read_data()
        deltas, weights, blob = matcher._data
        id_blocks.append(np.cumsum(np.asarray(deltas, np.int64)))
        weight_blocks.append(_weights(weights, len(deltas)))
        if values and blob:
            value_blocks.append(blob)
        matcher._next_block()
    found = (np.concatenate(id_blocks), np.concatenate(weight_blocks))
    return (*found, emptybytes.join(value_blocks)) if values else found


def _weights(weights, n):
    if weights is None:
        return np.ones(n, np.float32)
    if isinstance(weights, float):
        return np.full(n, weights, np.float32)
    return np.asarray(weights, np.float32)


# ---------------------------------------------------------------- per-segment arrays

class FacetTable:
    """One facet of one segment: each document's value ids (CSR) and each value's documents."""

    def __init__(self, reader, fieldname, doc_count):
        terms = list(reader.lexicon(fieldname))
        self.values = [t.decode("utf-8") for t in terms]
        self.value_index = {v: i for i, v in enumerate(self.values)}
        doc_lists = [read_postings(reader, fieldname, t)[0] for t in terms]
        sizes = np.array([len(d) for d in doc_lists], np.int64)
        self.value_ptr = np.concatenate([[0], np.cumsum(sizes)])
        self.value_docs = np.concatenate(doc_lists) if doc_lists else np.empty(0, np.int64)
        value_ids = np.repeat(np.arange(len(self.values), dtype=np.int32), sizes)
        order = np.argsort(self.value_docs, kind="stable")
        self.doc_values = value_ids[order]
        self.doc_ptr = np.concatenate([[0], np.cumsum(np.bincount(self.value_docs, minlength=doc_count))])
        self.first_value = np.full(doc_count, -1, np.int32)
        has_value = self.doc_ptr[1:] > self.doc_ptr[:-1]
        self.first_value[has_value] = self.doc_values[self.doc_ptr[:-1][has_value]]

    def docs_with(self, value):
        i = self.value_index.get(value)
        if i is None:
            return np.empty(0, np.int64)
        return self.value_docs[self.value_ptr[i]:self.value_ptr[i + 1]]


def values_of(doc_ptr, doc_values, docs):
    """Every value id of every given document (CSR rows), concatenated."""
    starts = doc_ptr[docs]
    lengths = doc_ptr[docs + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, doc_values.dtype)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return doc_values[offsets + np.arange(total)]


class SegmentTables:
    """Everything a query needs about one segment's documents, as arrays."""

    def __init__(self, reader, backend):
        n = reader.doc_count_all()
        self.size = n
        self.pk = np.fromiter(reader.column_reader(DJANGO_ID), np.int64, count=n)
        self.facets = {name: FacetTable(reader, name, n) for name in backend.facet_fields}
        dates = FacetTable(reader, backend.date_field, n)
        ordinals = np.array([datetime.date.fromisoformat(v).toordinal() for v in dates.values] or [0], np.int32)
        self.date = np.where(dates.first_value >= 0, ordinals[np.maximum(dates.first_value, 0)], 0)
        self.lengths = {name: self._lengths(reader, name, n) for name in backend.scored_fields}
        self._spelling = None

    def spelling(self, reader, fieldname):
        """Each word of the segment found in two or more stories, under itself and its one-letter
        deletions (the most frequent word per key); built at the first misspelled query."""
        if self._spelling is None:
            table, best = {}, {}
            for tbytes, info in reader.iter_field(fieldname):
                df = info.doc_frequency()
                if df < 2:
                    continue
                word = tbytes.decode("utf-8")
                for variant in deletions(word):
                    if best.get(variant, 0) < df:
                        table[variant], best[variant] = word, df
            self._spelling = table
        return self._spelling

    @staticmethod
    def _lengths(reader, fieldname, n):
        decode = np.array([byte_to_length(b) for b in range(256)], np.float32)
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return np.zeros(n, np.float32)
        return decode[np.fromiter(column, np.uint8, count=n)]


@dataclass
class Leaf:
    reader: object
    offset: int
    tables: SegmentTables
    live: np.ndarray  # bool per document: not deleted
    to_global: dict  # facet field -> array mapping the segment's value ids to the view's


@dataclass
class Matches:
    """Matching documents of one segment (sorted document numbers) and their scores."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def empty(cls):
        return cls(np.empty(0, np.int64), np.empty(0, np.float64))

    def __and__(self, other):
        if not len(self.docs) or not len(other.docs):
            return Matches.empty()
        # A lookup table over the segment's document numbers: linear, where intersect1d sorts.
        position = np.full(max(self.docs[-1], other.docs[-1]) + 1, -1, np.int64)
        position[self.docs] = np.arange(len(self.docs))
        mine = position[other.docs]
        both = mine >= 0
        return Matches(other.docs[both], other.scores[both] + self.scores[mine[both]])

    def __or__(self, other):
        docs, inverse = np.unique(np.concatenate([self.docs, other.docs]), return_inverse=True)
        scores = np.bincount(inverse, weights=np.concatenate([self.scores, other.scores]), minlength=len(docs))
        return Matches(docs, scores)

    def __sub__(self, other):
        keep = ~np.isin(self.docs, other.docs, assume_unique=True)
        return Matches(self.docs[keep], self.scores[keep])

    def only(self, mask):
        keep = mask[self.docs]
        return Matches(self.docs[keep], self.scores[keep])


@dataclass
class View:
    """One searcher generation and the arrays built for it."""

    searcher: object
    leaves: list
    vocab: dict  # facet field -> list of values (global ids)
    vocab_rank: dict  # facet field -> each value's position in name order
    order_rank: np.ndarray  # global docnum -> rank in newest-first order
    doc_count: int
    facet_rows: dict  # facet field -> (row pointers, value ids, document of each value id), index-wide
    live_count: int
    totals: dict = field(default_factory=dict)  # facet field -> counts over every live document
    term_statistics: dict = field(default_factory=dict)

    def statistics(self, fieldname, tbytes):
        """(idf, average field length) for BM25, index-wide, computed once per term per view."""
        key = (fieldname, tbytes)
        if key not in self.term_statistics:
            total = self.searcher.field_length(fieldname)
            self.term_statistics[key] = (self.searcher.idf(fieldname, tbytes),
                                         max(total / self.doc_count, 1.0) if self.doc_count else 1.0)
        return self.term_statistics[key]


class IndexState:
    """The open index of one directory, shared by every thread of the process."""

    def __init__(self):
        self.lock = threading.RLock()  # guards the view and every read through its segment readers
        self.index = None
        self.view = None
        self.tables = {}  # segment id -> SegmentTables


_STATES: dict[str, IndexState] = {}
_STATES_LOCK = threading.Lock()


def index_state(path):
    with _STATES_LOCK:
        return _STATES.setdefault(os.path.abspath(path), IndexState())


# ---------------------------------------------------------------- narrowing

NARROW = re.compile(
    r'^\s*(?P<neg>-|NOT\s+)?(?P<field>\w+):(?:"(?P<value>(?:[^"\\]|\\.)*)"|\[(?P<low>\S+)\s+TO\s+(?P<high>\S+)\])\s*$'
)


@dataclass
class Narrowing:
    include: list = field(default_factory=list)  # (facet field, value)
    exclude: list = field(default_factory=list)
    date_from: int | None = None  # date ordinals, inclusive
    date_to: int | None = None


def _date_bound(text):
    if text == "*":
        return None
    try:
        return datetime.date.fromisoformat(text[:10]).toordinal()
    except ValueError:
        raise QueryNotSearchable(f"{text!r} is not a date.")


def same_schema(stored, wanted):
    """Whether an index was written with these fields, field types and posting formats."""
    return stored.names() == wanted.names() and all(
        type(stored[name]) is type(wanted[name]) and type(stored[name].format) is type(wanted[name].format)
        for name in wanted.names()
    )


# ---------------------------------------------------------------- the backend

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


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # rebuild_index and update_index write segments of the size search.indexing writes.
        self.batch_size = connection_options.get("BATCH_SIZE", BATCH)
        self.state = index_state(self.path)

    # -- schema and opening

    def build_schema(self, fields):
        schema = {ID: WHOOSH_ID(stored=True, unique=True), DJANGO_CT: STORED(),
                  DJANGO_ID: COLUMN(columns.NumericColumn("q"))}
        content_field_name = ""
        self.facet_fields, self.date_field, self.scored_fields = [], None, []
        faceted_sources = {f.facet_for for f in fields.values() if getattr(f, "facet_for", None)}
        for f in fields.values():
            name = f.index_fieldname
            if getattr(f, "facet_for", None):
                schema[name] = ValuesField()
                self.facet_fields.append(name)
            elif f.field_type in ("date", "datetime"):
                schema[name] = ValuesField(stored=True)
                self.date_field = name
            elif not f.indexed or name in faceted_sources:
                schema[name] = STORED()
            else:
                schema[name] = WordsField(stored=f.stored and not f.document)
                self.scored_fields.append(name)
            if f.document:
                content_field_name = name
                schema[name + PAIRS_SUFFIX] = PairsField()
                self.scored_fields.append(name + PAIRS_SUFFIX)
        if not content_field_name or self.date_field is None:
            raise SearchBackendError("The archive's Whoosh backend needs a document field and a date field.")
        return content_field_name, Schema(**schema)

    def setup(self):
        from haystack import connections

        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        self.content_field_name, self.schema = self.build_schema(
            connections[self.connection_alias].get_unified_index().all_searchfields()
        )
        self.parser = QueryParser(self.content_field_name, schema=self.schema)
        with self.state.lock:
            if self.state.index is None or not same_schema(self.state.index.schema, self.schema):
                self.state.index = self._open_index()
                self.state.view = None
        self.index = self.state.index
        self.setup_complete = True

    def _open_index(self):
        """Open the index, or start an empty one when it is missing, outdated or unreadable.

        A broken or old-schema index must not take search down; the stories it
        lacks show up in ``check_index`` and ``check_index --fix`` puts them back.
        """
        try:
            if same_schema(self.storage.open_index().schema, self.schema):
                ix = self.storage.open_index(schema=self.schema)
                with ix.searcher():
                    pass
                return ix
            log.warning("Search index at %s has another schema; starting a new one.", self.path)
        except index.EmptyIndexError:
            pass
        except Exception:
            log.exception("Search index at %s is unreadable; starting a new one.", self.path)
        return self._recreate()

    def _recreate(self):
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        self.state.tables.clear()
        self.state.view = None
        return self.storage.create_index(self.schema)

    # -- writing

    @contextmanager
    def writer(self, mergetype=merge_by_tier):
        """A writer that waits for another process's lock instead of failing at once."""
        if not self.setup_complete:
            self.setup()
        try:
            writer = ArchiveSegmentWriter(self.index, timeout=WRITE_LOCK_TIMEOUT, delay=0.25, codec=ArchiveCodec(),
                                          compound=False)
        except LockError:
            raise SearchBackendError(f"The search index at {self.path} stayed locked for {WRITE_LOCK_TIMEOUT:.0f} s.")
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=mergetype)

    def document(self, index, obj):
        """The Whoosh document for a model instance: haystack's prepared data in our field shapes."""
        doc = {}
        for key, value in index.full_prepare(obj).items():
            if value is None or key not in self.schema:
                continue
            if key == DJANGO_ID:
                value = int(value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()[:10]
            elif isinstance(value, (list, tuple)):
                value = [force_str(v) for v in value]
            else:
                value = force_str(value)
            doc[key] = value
        doc[self.content_field_name + PAIRS_SUFFIX] = doc.get(self.content_field_name, "")
        return doc

    def update(self, index, iterable, commit=True):
        if not self.setup_complete:
            self.setup()
        with collection_paused():
            self._update(index, iterable)

    def _update(self, index, iterable):
        docs = []
        for obj in iterable:
            try:
                docs.append(self.document(index, obj))
            except SkipDocument:
                self.log.debug("Indexing for object `%s` skipped", obj)
        if not docs:
            return
        with self.writer() as writer:
            if self.index.doc_count_all():
                delete_primary_keys(writer, [doc[DJANGO_ID] for doc in docs])
            for doc in docs:
                writer.add_document(**doc)

    def remove(self, obj_or_string, commit=True):
        self.remove_many([obj_or_string])

    def remove_many(self, objs_or_strings):
        """Remove several documents under one lock and one commit."""
        if not self.setup_complete:
            self.setup()
        with self.writer() as writer:
            writer.delete_by_query(wq.Or([wq.Term(ID, get_identifier(obj)) for obj in objs_or_strings]))

    def clear(self, models=None, commit=True):
        if not self.setup_complete:
            self.setup()
        with self.state.lock:
            self.state.index = self.index = self._recreate()

    def delete_index(self):
        self.clear()

    def optimize(self):
        with self.writer(mergetype=OPTIMIZE):
            pass

    # -- the searcher generation and its arrays

    def current_view(self):
        if not self.setup_complete:
            self.setup()
        state = self.state
        with state.lock:
            view = state.view
            if view is not None and view.searcher.up_to_date():
                return view
            # A new searcher, not Searcher.refresh(): refresh reuses a segment's reader
            # even when a commit has deleted documents from it. The segment arrays
            # are reused anyway (state.tables); the old searcher closes when unused.
            state.view = self._build_view(self.index.searcher())
            return state.view

    def _build_view(self, searcher):
        state = self.state
        leaves, present = [], set()
        vocab = {name: {} for name in self.facet_fields}
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            if reader.segment() is None:  # an empty index
                continue
            key = reader.segment().segment_id()
            present.add(key)
            tables = state.tables.get(key)
            if tables is None:
                tables = state.tables[key] = SegmentTables(reader, self)
            live = np.ones(tables.size, bool)
            if reader.has_deletions():
                live[np.fromiter(reader.segment().deleted_docs(), np.int64)] = False
            to_global = {}
            for name, table in tables.facets.items():
                ids = vocab[name]
                to_global[name] = np.array([ids.setdefault(v, len(ids)) for v in table.values] or [0], np.int64)
            leaves.append(Leaf(reader, offset, tables, live, to_global))
        for key in set(state.tables) - present:
            del state.tables[key]
        doc_count = searcher.doc_count_all()
        order_rank = np.zeros(doc_count, np.int64)
        if leaves:
            dates = np.concatenate([leaf.tables.date for leaf in leaves])
            pks = np.concatenate([leaf.tables.pk for leaf in leaves])
            newest_first = np.lexsort((-pks, -dates.astype(np.int64)))
            order_rank[newest_first] = np.arange(doc_count)
        values = {name: list(ids) for name, ids in vocab.items()}
        vocab_rank = {}
        for name, vs in values.items():
            vocab_rank[name] = np.zeros(max(len(vs), 1), np.int64)
            vocab_rank[name][np.array(sorted(range(len(vs)), key=vs.__getitem__), np.int64)] = np.arange(len(vs))
        # The segments' facet rows joined into one table, so a query counts each facet in one step.
        facet_rows = {}
        for name in self.facet_fields:
            pointers, ids, base = [np.zeros(1, np.int64)], [], 0
            for leaf in leaves:
                table = leaf.tables.facets[name]
                pointers.append(table.doc_ptr[1:] + base)
                ids.append(leaf.to_global[name][table.doc_values])
                base += len(table.doc_values)
            rows = np.concatenate(pointers)
            facet_rows[name] = (rows, np.concatenate(ids) if ids else np.empty(0, np.int64),
                                np.repeat(np.arange(len(rows) - 1), np.diff(rows)))
        live_count = sum(int(leaf.live.sum()) for leaf in leaves)
        return View(searcher, leaves, values, vocab_rank, order_rank, doc_count, facet_rows, live_count)

    # -- query evaluation

    def parse(self, query_string):
        if not self.setup_complete:
            self.setup()
        query_string = query_string.strip()
        if query_string in ("", "*", "*:*"):
            return wq.Every()
        searchable = {self.content_field_name, "headline", self.date_field, *self.facet_fields}
        for name in re.findall(r"(\w+):", query_string):
            if name in self.schema and name not in searchable:
                raise QueryNotSearchable(f"“{name}:” cannot be searched; use words, \"phrases\" or headline:.")
        try:
            parsed = self.parser.parse(query_string)
        except Exception:  # Whoosh's parser fails on a few malformed inputs instead of recovering
            log.info("Unparsable query %r", query_string, exc_info=True)
            raise QueryNotSearchable("The query could not be understood; check its quotes, brackets and operators.")
        if parsed is None or parsed is wq.NullQuery:
            raise QueryNotSearchable("The query has no searchable words (only very common words or punctuation).")
        if sum(1 for _ in parsed.leaves()) > MAX_QUERY_TERMS:
            raise QueryNotSearchable(f"The query has more than {MAX_QUERY_TERMS} terms; please shorten it.")
        return parsed

    def evaluate(self, view, leaf, q):
        """Matches of a parsed Whoosh query in one segment, scored with BM25."""
        live = leaf.live
        if isinstance(q, wq.Every):
            docs = np.flatnonzero(live)
            return Matches(docs, np.ones(len(docs)))
        if q is wq.NullQuery:
            return Matches.empty()
        if isinstance(q, wq.Term):
            return self.term_matches(view, leaf, q.fieldname, q.text, q.boost)
        if isinstance(q, wq.Phrase):
            return self.phrase_matches(view, leaf, q)
        if isinstance(q, wq.And):
            positive = [c for c in q.subqueries if not isinstance(c, wq.Not)]
            result = None
            for c in sorted(positive, key=lambda c: c.estimate_size(leaf.reader)):
                m = self.evaluate(view, leaf, c)
                result = m if result is None else result & m
                if not len(result.docs):
                    return result
            if result is None:
                result = self.evaluate(view, leaf, wq.Every())
            for c in q.subqueries:
                if isinstance(c, wq.Not):
                    result = result - self.evaluate(view, leaf, c.query)
            return result
        if isinstance(q, wq.Or):
            result = Matches.empty()
            for c in q.subqueries:
                result = result | self.evaluate(view, leaf, c)
            return result
        if isinstance(q, wq.Not):
            return self.evaluate(view, leaf, wq.Every()) - self.evaluate(view, leaf, q.query)
        if isinstance(q, wq.AndNot):
            return self.evaluate(view, leaf, q.a) - self.evaluate(view, leaf, q.b)
        if isinstance(q, wq.AndMaybe):
            required = self.evaluate(view, leaf, q.a)
            optional = self.evaluate(view, leaf, q.b) & required
            return required | Matches(optional.docs, optional.scores)
        if isinstance(q, wq.Require):
            other = self.evaluate(view, leaf, q.b)
            return self.evaluate(view, leaf, q.a) & Matches(other.docs, np.zeros(len(other.docs)))
        if isinstance(q, wq.MultiTerm) and hasattr(q, "_btexts"):
            return self.expansion_matches(view, leaf, q)
        if isinstance(q, wq.WrappingQuery):
            return self.evaluate(view, leaf, q.child)
        return self.matcher_matches(view, leaf, q)

    def term_matches(self, view, leaf, fieldname, text, boost=1.0):
        tbytes = text if isinstance(text, bytes) else self.schema[fieldname].to_bytes(text)
        docs, weights = read_postings(leaf.reader, fieldname, tbytes)
        keep = leaf.live[docs]
        docs, weights = docs[keep], weights[keep]
        if fieldname not in leaf.tables.lengths:
            return Matches(docs, np.full(len(docs), boost, np.float64))
        idf, avg = view.statistics(fieldname, tbytes)
        lengths = leaf.tables.lengths[fieldname][docs]
        tf = weights.astype(np.float64)
        scores = idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * lengths / avg))
        return Matches(docs, scores * boost)

    def phrase_matches(self, view, leaf, q):
        ws = [fold(w) for w in q.words]
        if q.fieldname != self.content_field_name:
            return self.matcher_matches(view, leaf, q)
        if len(ws) == 1:
            return self.term_matches(view, leaf, q.fieldname, ws[0], q.boost)
        pairs_field = q.fieldname + PAIRS_SUFFIX
        pairs = [f"{a} {b}" for a, b in zip(ws, ws[1:])]
        result = None
        for pair in pairs:
            m = self.term_matches(view, leaf, pairs_field, pair, q.boost)
            result = m if result is None else result & m
            if not len(result.docs):
                return result
        if len(pairs) > 1:
            result = result.only(self._consecutive(leaf, pairs_field, pairs, result.docs))
        return result

    def _consecutive(self, leaf, fieldname, pairs, candidates):
        """Mask of the candidates where the pairs occur at consecutive positions (a longer phrase)."""
        starts = None
        for offset, pair in enumerate(pairs):
            docs, weights, blob = read_postings(leaf.reader, fieldname, pair.encode("utf-8"), values=True)
            counts = weights.astype(np.int64)
            positions = np.frombuffer(blob, np.uint16).astype(np.int64)
            keep = np.isin(docs, candidates, assume_unique=True)
            # A key per (document, phrase start); the span leaves room below each document's keys.
            keys = np.repeat(docs[keep], counts[keep]) * POSITION_SPAN + positions[np.repeat(keep, counts)] - offset
            starts = np.unique(keys) if starts is None else np.intersect1d(starts, keys)
        mask = np.zeros(leaf.tables.size, bool)
        mask[np.unique(starts // POSITION_SPAN)] = True
        return mask

    def expansion_matches(self, view, leaf, q):
        if isinstance(q, wq.Wildcard) and q.text[:1] in ("*", "?"):
            raise QueryNotSearchable("A word cannot start with a wildcard (* or ?); type its first letters.")
        terms = []
        for t in q._btexts(leaf.reader):
            terms.append(t)
            if len(terms) > MAX_EXPANSION:
                raise QueryNotSearchable(f"“{q}” matches too many words; please type more letters.")
        result = Matches.empty()
        for t in terms:
            result = result | self.term_matches(view, leaf, q.fieldname, t, q.boost)
        return result

    def matcher_matches(self, view, leaf, q):
        """Any other query type, through Whoosh's own matcher (unscored)."""
        sub = view.searcher
        for s, offset in sub.leaf_searchers():
            if offset == leaf.offset:
                sub = s
                break
        matcher = q.matcher(sub)
        docs = np.fromiter(matcher.all_ids(), np.int64) if matcher.is_active() else np.empty(0, np.int64)
        docs = docs[leaf.live[docs]]
        return Matches(docs, np.ones(len(docs)))

    # -- narrowing, counting, ordering

    def narrowing(self, narrow_queries):
        facet_of = {name: name for name in self.facet_fields}
        facet_of.update({name[: -len("_exact")]: name for name in self.facet_fields if name.endswith("_exact")})
        result = Narrowing()
        for nq in narrow_queries or ():
            m = NARROW.match(force_str(nq))
            if m is None:
                raise QueryNotSearchable(f"Cannot narrow by {nq!r}.")
            name = m["field"]
            if name == DJANGO_CT:
                continue  # one model is indexed; a model restriction changes nothing
            if m["value"] is not None and name in facet_of:
                value = re.sub(r"\\(.)", r"\1", m["value"])
                (result.exclude if m["neg"] else result.include).append((facet_of[name], value))
            elif m["low"] is not None and name == self.date_field and not m["neg"]:
                result.date_from, result.date_to = _date_bound(m["low"]), _date_bound(m["high"])
            else:
                raise QueryNotSearchable(f"Cannot narrow by {nq!r}.")
        return result

    def narrowed(self, leaf, matches, narrowing):
        tables = leaf.tables
        for name, value in narrowing.include:
            mask = np.zeros(tables.size, bool)
            mask[tables.facets[name].docs_with(value)] = True
            matches = matches.only(mask)
        for name, value in narrowing.exclude:
            mask = np.ones(tables.size, bool)
            mask[tables.facets[name].docs_with(value)] = False
            matches = matches.only(mask)
        if narrowing.date_from is not None or narrowing.date_to is not None:
            dates = tables.date
            mask = np.ones(tables.size, bool)
            if narrowing.date_from is not None:
                mask &= dates >= narrowing.date_from
            if narrowing.date_to is not None:
                mask &= dates <= narrowing.date_to
            matches = matches.only(mask)
        return matches

    @staticmethod
    def facet_values(view, name, gdocs):
        """The value ids of one facet over the matching documents (one per document and value)."""
        rows, ids, doc_of = view.facet_rows[name]
        if len(gdocs) * 8 < view.doc_count:  # few documents: gather their rows
            return values_of(rows, ids, gdocs)
        matching = np.zeros(view.doc_count, bool)  # many: one pass over every value id
        matching[gdocs] = True
        return ids[matching[doc_of]]

    def facet_counts(self, view, gdocs, facets):
        result = {}
        for name, options in facets.items():
            if len(gdocs) == view.live_count and name in view.totals:  # browsing everything
                c = view.totals[name]
            else:
                c = np.bincount(self.facet_values(view, name, gdocs), minlength=max(len(view.vocab[name]), 1))
                if len(gdocs) == view.live_count:
                    view.totals[name] = c
            present = np.flatnonzero(c >= max(int(options.get("mincount", 1)), 1))
            # By count, then by name: the name order is precomputed per view.
            ranked = present[np.lexsort((view.vocab_rank[name][present], -c[present]))]
            limit = int(options.get("limit", 100))
            values = view.vocab[name]
            result[name] = [(values[i], int(c[i])) for i in (ranked if limit < 0 else ranked[:limit])]
        return result

    def page_order(self, view, gdocs, scores, sort_by, start, end):
        """Positions (into gdocs) of the requested page: by score, newest or oldest first.

        Ties in score go newest first; only the first `end` positions are sorted.
        """
        end = min(end, len(gdocs))
        if start >= end:
            return np.empty(0, np.int64)
        rank = view.order_rank[gdocs]  # position in the newest-first order of the whole index
        by_field = bool(sort_by) and sort_by[0].lstrip("-") != "score"
        if by_field or scores.min() == scores.max():
            key = -rank if by_field and not sort_by[0].startswith("-") else rank
            first = np.argpartition(key, end - 1)[:end] if end < len(key) else np.arange(len(key))
            return first[np.argsort(key[first])][start:end]
        primary = -scores
        if end < len(gdocs):
            candidates = np.flatnonzero(primary <= np.partition(primary, end - 1)[end - 1])
        else:
            candidates = np.arange(len(gdocs))
        return candidates[np.lexsort((rank[candidates], primary[candidates]))][start:end]

    # -- search

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="",
               highlight=False, facets=None, date_facets=None, query_facets=None, narrow_queries=None,
               spelling_query=None, within=None, dwithin=None, distance_point=None, models=None,
               limit_to_registered_models=None, result_class=None, **kwargs):
        if date_facets or query_facets:
            raise SearchBackendError("Facet by a stored field (e.g. month) instead of date or query facets.")
        parsed = self.parse(force_str(query_string))
        with self.state.lock:  # the segment readers' files are shared: one search at a time per process
            return self._search(parsed, sort_by, start_offset, end_offset, highlight, facets, narrow_queries,
                                spelling_query, result_class)

    def _search(self, parsed, sort_by, start_offset, end_offset, highlight, facets, narrow_queries,
                spelling_query, result_class):
        view = self.current_view()
        narrowing = self.narrowing(narrow_queries)
        per_leaf = []
        for leaf in view.leaves:
            matches = self.evaluate(view, leaf, parsed)
            per_leaf.append((leaf, self.narrowed(leaf, matches, narrowing)))
        gdocs = np.concatenate([m.docs + leaf.offset for leaf, m in per_leaf] or [np.empty(0, np.int64)])
        scores = np.concatenate([m.scores for _, m in per_leaf] or [np.empty(0)])
        end = len(gdocs) if end_offset is None else end_offset
        page = self.page_order(view, gdocs, scores, sort_by, start_offset or 0, end)
        terms = self.highlight_terms(parsed) if highlight else None
        results = [self.result(view, int(gdocs[i]), float(scores[i]), terms, result_class) for i in page]
        return {
            "results": results,
            "hits": len(gdocs),
            "facets": {"fields": self.facet_counts(view, gdocs, facets or {}), "dates": {}, "queries": {}},
            "spelling_suggestion": self.suggestion(view, spelling_query) if spelling_query else None,
        }

    def result(self, view, gdoc, score, terms, result_class=None):
        stored = dict(view.searcher.stored_fields(gdoc))
        app_label, model_name = stored.pop(DJANGO_CT).split(".")
        stored.pop(ID, None)
        leaf = next(leaf for leaf in reversed(view.leaves) if leaf.offset <= gdoc)
        pk = int(leaf.tables.pk[gdoc - leaf.offset])
        if self.date_field in stored:
            stored[self.date_field] = datetime.date.fromisoformat(stored[self.date_field])
        if terms is not None:
            stored["highlighted"] = {self.content_field_name: [snippet(stored.get("body", ""), terms)]}
        return (result_class or SearchResult)(app_label, model_name, pk, score, **stored)

    def highlight_terms(self, parsed):
        """What a query looks for in the text, for marking snippets: words and word patterns."""
        found = set()
        for q in parsed.leaves():
            if isinstance(q, wq.Phrase):
                found.update(fold(w) for w in q.words)
            elif isinstance(q, wq.Term) and q.fieldname in (self.content_field_name, "headline"):
                found.add(fold(force_str(q.text)))
            elif isinstance(q, (wq.Prefix, wq.Wildcard)):
                pattern = re.escape(fold(q.text)).replace(r"\*", r"\w*").replace(r"\?", r"\w")
                found.add(re.compile(pattern + (r"\w*" if isinstance(q, wq.Prefix) else "")))
        return found

    # -- spelling and more like this

    def suggestion(self, view, spelling_query):
        """The query with each word the index lacks replaced by its likeliest correction."""
        searcher, changed = view.searcher, False

        def corrected(match):
            nonlocal changed
            token, word = match.group(), fold(match.group())
            if len(word) < 3 or word in STOP or token in ("AND", "OR", "NOT"):
                return token
            if searcher.doc_frequency(self.content_field_name, word):
                return token
            replacement = self.correct(view, word)
            changed = changed or replacement is not None
            return replacement or token

        suggested = WORD.sub(corrected, force_str(spelling_query))
        return suggested if changed else None

    def correct(self, view, word):
        """The closest indexed word (at most two edits), the more frequent of equals.

        Candidates come from each segment's table of words with one letter
        deleted, matched against the word with one letter deleted: symmetric
        deletion, which finds every substitution, insertion, deletion and
        transposition and, combined, most two-edit misspellings.
        """
        variants = deletions(word)
        candidates = set()
        for leaf in view.leaves:
            table = leaf.tables.spelling(leaf.reader, self.content_field_name)
            candidates.update(table[v] for v in variants if v in table)
        scored = [(edit_distance(c, word), -view.searcher.doc_frequency(self.content_field_name, c), c)
                  for c in candidates]
        scored = [s for s in scored if s[0] <= 2]
        return min(scored)[2] if scored else None

    def more_like_this(self, model_instance, additional_query_string=None, start_offset=0, end_offset=None,
                       models=None, limit_to_registered_models=None, result_class=None, **kwargs):
        with self.state.lock:
            return self._more_like_this(get_identifier(model_instance), start_offset, end_offset, result_class)

    def _more_like_this(self, identifier, start_offset, end_offset, result_class):
        view = self.current_view()
        searcher = view.searcher
        docnum = searcher.document_number(**{ID: identifier})
        if docnum is None:
            return {"results": [], "hits": 0}
        stored = searcher.stored_fields(docnum)
        counts = Counter(words(f"{stored.get('headline', '')}\n{stored.get('body', '')}"))
        field = self.content_field_name
        weighted = [(tf * searcher.idf(field, w), w) for w, tf in counts.items()]
        top = [w for _, w in heapq.nlargest(12, weighted)]
        q = wq.Or([wq.Term(field, w) for w in top])
        per_leaf = [(leaf, self.evaluate(view, leaf, q)) for leaf in view.leaves]
        gdocs = np.concatenate([m.docs + leaf.offset for leaf, m in per_leaf] or [np.empty(0, np.int64)])
        scores = np.concatenate([m.scores for _, m in per_leaf] or [np.empty(0)])
        keep = gdocs != docnum
        gdocs, scores = gdocs[keep], scores[keep]
        end = len(gdocs) if end_offset is None else end_offset
        page = self.page_order(view, gdocs, scores, None, start_offset or 0, end)
        results = [self.result(view, int(gdocs[i]), float(scores[i]), None, result_class) for i in page]
        return {"results": results, "hits": len(gdocs)}

    def create_spelling_suggestion(self, query_string):
        return self.suggestion(self.current_view(), query_string)


def deletions(word):
    """The word and every form of it with one letter deleted."""
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def edit_distance(a, b):
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = WhooshSearchQuery
