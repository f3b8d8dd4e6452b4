"""Per-segment column arrays: what a query needs of every document, read once per segment.

Per index segment, the facet values, date, primary key and field lengths of every document are
read into numpy arrays (``SegmentTables``) and kept while the segment lives, so an update builds
only the new segment's arrays. A segment's files never change, so its arrays are saved beside
them (``MAIN_<segment id>.tables.npz``) by the first process that builds them: every other
worker, and every restart, loads them in milliseconds instead of reading every posting list
again (seconds per segment), and Whoosh deletes the file with the segment's own when a merge
replaces it. A ``View`` joins the segments of one searcher generation: index-wide facet rows,
value names and the newest-first order. ``layout`` is anything that names the fields
(facet_fields, date_field, scored_fields): the backend's Evaluator.
"""
import datetime
import fcntl
import logging
import os
import threading
from dataclasses import dataclass, field

import numpy as np
from haystack.constants import DJANGO_ID

from .codec import field_lengths, read_postings
from .spelling import spelling_table

log = logging.getLogger(__name__)

# Bump when SegmentTables gains or changes an array: files of another format are rebuilt.
TABLES_FORMAT = 1
TABLES_SUFFIX = ".tables.npz"
# Words whose BM25 statistics a view keeps (a few hundred bytes each).
TERM_STATISTICS_KEPT = 20_000


class FacetTable:
    """One facet of one segment: each document's value ids (CSR) and each value's documents."""

    ARRAYS = ("value_ptr", "value_docs", "doc_values", "doc_ptr", "first_value")

    def __init__(self, values, value_ptr, value_docs, doc_values, doc_ptr, first_value):
        self.values = list(values)
        self.value_index = {v: i for i, v in enumerate(self.values)}
        self.value_ptr, self.value_docs, self.doc_values = value_ptr, value_docs, doc_values
        self.doc_ptr, self.first_value = doc_ptr, first_value

    @classmethod
    def read(cls, reader, fieldname, doc_count):
        terms = list(reader.lexicon(fieldname))
        values = [t.decode("utf-8") for t in terms]
        doc_lists = [read_postings(reader, fieldname, t)[0] for t in terms]
        sizes = np.array([len(d) for d in doc_lists], np.int64)
        value_ptr = np.concatenate([[0], np.cumsum(sizes)])
        value_docs = np.concatenate(doc_lists) if doc_lists else np.empty(0, np.int64)
        value_ids = np.repeat(np.arange(len(values), dtype=np.int32), sizes)
        order = np.argsort(value_docs, kind="stable")
        doc_values = value_ids[order]
        doc_ptr = np.concatenate([[0], np.cumsum(np.bincount(value_docs, minlength=doc_count))])
        first_value = np.full(doc_count, -1, np.int32)
        has_value = doc_ptr[1:] > doc_ptr[:-1]
        first_value[has_value] = doc_values[doc_ptr[:-1][has_value]]
        return cls(values, value_ptr, value_docs, doc_values, doc_ptr, first_value)

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

    def __init__(self, size, pk, facets, date, lengths):
        self.size, self.pk, self.facets, self.date, self.lengths = size, pk, facets, date, lengths
        self._spelling = None

    @classmethod
    def read(cls, reader, layout):
        """Read from the segment itself: every facet's posting lists, the date and key columns, the lengths."""
        n = reader.doc_count_all()
        pk = np.fromiter(reader.column_reader(DJANGO_ID), np.int64, count=n)
        facets = {name: FacetTable.read(reader, name, n) for name in layout.facet_fields}
        dates = FacetTable.read(reader, layout.date_field, n)
        ordinals = np.array([datetime.date.fromisoformat(v).toordinal() for v in dates.values] or [0], np.int32)
        date = np.where(dates.first_value >= 0, ordinals[np.maximum(dates.first_value, 0)], 0)
        lengths = {name: field_lengths(reader, name, n) for name in layout.scored_fields}
        return cls(n, pk, facets, date, lengths)

    def arrays(self):
        """Every array by a flat name, for np.savez (strings as a unicode array: no pickles)."""
        out = {"format": np.array(TABLES_FORMAT), "size": np.array(self.size), "pk": self.pk, "date": self.date}
        for name, table in self.facets.items():
            out[f"facet.{name}.values"] = np.array(table.values, dtype=str)
            out.update({f"facet.{name}.{a}": getattr(table, a) for a in FacetTable.ARRAYS})
        out.update({f"length.{name}": lengths for name, lengths in self.lengths.items()})
        return out

    @classmethod
    def from_arrays(cls, arrays, layout, size):
        """The tables saved by arrays(), or None when they are of another format, layout or size."""
        names = set(arrays.files)
        wanted = {"format", "size", "pk", "date", *(f"length.{n}" for n in layout.scored_fields),
                  *(f"facet.{n}.{a}" for n in layout.facet_fields for a in ("values", *FacetTable.ARRAYS))}
        if names != wanted or int(arrays["format"]) != TABLES_FORMAT or int(arrays["size"]) != size:
            return None
        facets = {n: FacetTable(arrays[f"facet.{n}.values"].tolist(), *(arrays[f"facet.{n}.{a}"] for a in FacetTable.ARRAYS))
                  for n in layout.facet_fields}
        lengths = {n: arrays[f"length.{n}"] for n in layout.scored_fields}
        return cls(size, arrays["pk"], facets, arrays["date"], lengths)

    def spelling(self, reader, fieldname):
        """The segment's spelling table (search.whoosh.spelling), built at the first misspelled query."""
        if self._spelling is None:
            self._spelling = spelling_table(reader, fieldname)
        return self._spelling


@dataclass
class Leaf:
    reader: object
    offset: int
    tables: SegmentTables
    live: np.ndarray  # bool per document: not deleted
    to_global: dict  # facet field -> array mapping the segment's value ids to the view's

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
    frequencies: dict = field(default_factory=dict)

    def statistics(self, fieldname, tbytes):
        """(idf, average field length) for BM25, index-wide, computed once per term per view."""
        def computed():
            total = self.searcher.field_length(fieldname)
            return self.searcher.idf(fieldname, tbytes), max(total / self.doc_count, 1.0) if self.doc_count else 1.0

        return _kept(self.term_statistics, (fieldname, tbytes), computed)

    def doc_frequency(self, fieldname, text):
        """How many documents hold the term, index-wide, counted once per term per view. "More like
        this" asks it of each of a story's hundred words, and the searcher counts it segment by
        segment (twenty at 100,000 stories): that was most of a story page's time, though most words
        recur from page to page."""
        return _kept(self.frequencies, (fieldname, text), lambda: self.searcher.doc_frequency(fieldname, text))


def _kept(table, key, compute):
    """table[key], computed the first time it is asked. A view lives until the next commit, maybe for
    days of searches: what a worker keeps for its words must not grow with every new word asked for,
    so a full table starts again."""
    if key not in table:
        if len(table) >= TERM_STATISTICS_KEPT:
            table.clear()
        table[key] = compute()
    return table[key]


class IndexState:
    """The open index of one directory, shared by every thread of the process."""

    def __init__(self, path=None):
        self.path = path  # where segment tables are saved; None: kept in memory only
        self.lock = threading.RLock()  # guards the view and every read through its segment readers
        self.index = None
        self.view = None
        self.tables = {}  # segment id -> SegmentTables
        self.damage = None  # why the directory's index cannot be opened (search.whoosh.integrity)


_STATES: dict[str, IndexState] = {}
_STATES_LOCK = threading.Lock()


def index_state(path):
    with _STATES_LOCK:
        path = os.path.abspath(path)
        return _STATES.setdefault(path, IndexState(path))


def segment_tables(reader, layout, path):
    """The segment's tables: loaded from the file beside it, else read from the segment and saved.

    Workers that start together wait on the file's lock while the first one reads, then load
    what it saved. A file that is unreadable, or of another format or layout, is read again and
    replaced; an index directory that cannot be written to only costs each process its own read.
    """
    if path is None:
        return SegmentTables.read(reader, layout)
    file = os.path.join(path, reader.segment().segment_id() + TABLES_SUFFIX)
    try:
        lock = open(file + ".lock", "a")  # named like the segment's files: Whoosh deletes it with them
    except OSError:
        return _load(file, reader, layout) or SegmentTables.read(reader, layout)
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tables = _load(file, reader, layout)
        if tables is None:
            tables = SegmentTables.read(reader, layout)
            _save(file, tables)
        return tables


def _load(file, reader, layout):
    try:
        with np.load(file, allow_pickle=False) as arrays:
            tables = SegmentTables.from_arrays(arrays, layout, reader.doc_count_all())
    except FileNotFoundError:
        return None
    except Exception:
        log.warning("Segment tables %s are unreadable; reading the segment again.", file, exc_info=True)
        return None
    if tables is None:
        log.info("Segment tables %s are of another format or layout; reading the segment again.", file)
    return tables


def _save(file, tables):
    partial = f"{file}.{os.getpid()}.partial"
    try:
        with open(partial, "wb") as out:
            np.savez(out, **tables.arrays())
        os.replace(partial, file)
    except OSError:
        log.warning("Could not save segment tables to %s; this process keeps its own.", file, exc_info=True)
        try:
            os.remove(partial)
        except OSError:
            pass


class SegmentGone(Exception):
    """A segment of the generation being opened was merged away, and its files deleted, by another
    process's commit in the meantime: open the newer generation instead."""


def build_view(searcher, state, layout):
    """The View of one searcher generation, reusing the arrays of segments it shares with the last.
    Raises SegmentGone when another process's merge deleted a segment's files first."""
    leaves, present = [], set()
    vocab = {name: {} for name in layout.facet_fields}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if reader.segment() is None:  # an empty index
            continue
        _hold_stored_fields(reader)
        key = reader.segment().segment_id()
        present.add(key)
        tables = state.tables.get(key)
        if tables is None:
            tables = state.tables[key] = segment_tables(reader, layout, state.path)
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
    for name in layout.facet_fields:
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


def _hold_stored_fields(reader):
    """Open the segment's stored fields now rather than at the first result. A commit in another
    process deletes the files of the segments it merged: a file this process holds open stays
    readable, one it would open later is gone (Whoosh then reads no stored fields at all, and
    fails with a TypeError)."""
    if not reader.doc_count_all():
        return
    try:
        reader.stored_fields(0)
    except (TypeError, OSError) as error:
        raise SegmentGone(f"segment {reader.segment().segment_id()} was merged away") from error
