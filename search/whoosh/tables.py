"""Per-segment column arrays: what a query needs of every document, read once per segment.

Per index segment, the facet values, date, primary key and field lengths of every document are
read into numpy arrays (``SegmentTables``) and kept while the segment lives, so an update builds
only the new segment's arrays. A ``View`` joins the segments of one searcher generation:
index-wide facet rows, value names and the newest-first order. ``layout`` is anything that names
the fields (facet_fields, date_field, scored_fields): the backend's Evaluator.
"""
import datetime
import os
import threading
from dataclasses import dataclass, field

import numpy as np
from haystack.constants import DJANGO_ID

from .codec import field_lengths, read_postings
from .spelling import spelling_table

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

    def __init__(self, reader, layout):
        n = reader.doc_count_all()
        self.size = n
        self.pk = np.fromiter(reader.column_reader(DJANGO_ID), np.int64, count=n)
        self.facets = {name: FacetTable(reader, name, n) for name in layout.facet_fields}
        dates = FacetTable(reader, layout.date_field, n)
        ordinals = np.array([datetime.date.fromisoformat(v).toordinal() for v in dates.values] or [0], np.int32)
        self.date = np.where(dates.first_value >= 0, ordinals[np.maximum(dates.first_value, 0)], 0)
        self.lengths = {name: field_lengths(reader, name, n) for name in layout.scored_fields}
        self._spelling = None

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
        self.damage = None  # why the directory's index cannot be opened (search.whoosh.integrity)


_STATES: dict[str, IndexState] = {}
_STATES_LOCK = threading.Lock()


def index_state(path):
    with _STATES_LOCK:
        return _STATES.setdefault(os.path.abspath(path), IndexState())


def build_view(searcher, state, layout):
    """The View of one searcher generation, reusing the arrays of segments it shares with the last."""
    leaves, present = [], set()
    vocab = {name: {} for name in layout.facet_fields}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        if reader.segment() is None:  # an empty index
            continue
        key = reader.segment().segment_id()
        present.add(key)
        tables = state.tables.get(key)
        if tables is None:
            tables = state.tables[key] = SegmentTables(reader, layout)
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
