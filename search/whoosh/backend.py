"""The haystack adapter: ArchiveWhooshEngine, the engine SEARCH_URL=whoosh://... selects.

Haystack's stock Whoosh backend answers a faceted search by asking Whoosh to group hit by hit,
one date-range query per month, a model-restriction query and a merge of every posting list
for an empty query; at 100,000 stories that takes seconds. This backend keeps haystack's
interface (search.query calls ``SearchQuerySet().facet().narrow().order_by()``) and answers
from the per-segment arrays (search.whoosh.tables) through the Evaluator
(search.whoosh.evaluate). Here: the schema from the StoryIndex, opening the index (refusing a
damaged one: search.whoosh.integrity), writing under a lock that waits, and turning arrays into
haystack results.
"""
import datetime
import heapq
import logging
import os
import shutil
from collections import Counter
from contextlib import contextmanager

import numpy as np
from django.utils.encoding import force_str
from haystack.backends import BaseEngine, log_query
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from haystack.constants import DJANGO_CT, DJANGO_ID, ID
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.models import SearchResult
from haystack.utils import get_identifier
from whoosh import columns
from whoosh import query as wq
from whoosh.fields import COLUMN, STORED, Schema
from whoosh.fields import ID as WHOOSH_ID
from whoosh.filedb.filestore import FileStorage
from whoosh.writing import OPTIMIZE, LockError

from archive.memory import collection_paused
from search.contract import INDEX_BATCH, IndexDamaged
from search.results import BODY_FIELD, HEADLINE_FIELD
from search.text import fold, snippet, wildcard_pattern, words

from .codec import ArchiveCodec, ArchiveSegmentWriter, delete_primary_keys, merge_by_tier, release_write_lock
from .evaluate import Evaluator
from .fields import PAIRS_SUFFIX, PairsField, ValuesField, WordsField
from .integrity import check_files
from .spelling import suggestion
from .tables import SegmentGone, build_view, index_state

log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 120.0
# Generations opened in a row when other processes' merges keep deleting the newest one's segments.
VIEW_ATTEMPTS = 5
# More like this: the story's MLT_TERMS most telling words, leaving out those in more than a fifth
# of the stories (and more than MLT_CHEAP of them).
MLT_TERMS = 12
MLT_MAX_DOC_SHARE = 0.2
MLT_CHEAP = 1000


def same_schema(stored, wanted):
    """Whether an index was written with these fields, field types and posting formats."""
    return stored.names() == wanted.names() and all(
        type(stored[name]) is type(wanted[name]) and type(stored[name].format) is type(wanted[name].format)
        for name in wanted.names()
    )


class ArchiveWhooshBackend(WhooshSearchBackend):
    def __init__(self, connection_alias, **connection_options):
        super().__init__(connection_alias, **connection_options)
        # rebuild_index and update_index write segments of the size search.indexing writes.
        self.batch_size = connection_options.get("BATCH_SIZE", INDEX_BATCH)
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
        self.evaluator = Evaluator(self.schema, self.content_field_name, self.facet_fields, self.date_field,
                                   self.scored_fields, model_field=DJANGO_CT, searchable_fields=(HEADLINE_FIELD,))
        with self.state.lock:
            if self.state.index is None or not same_schema(self.state.index.schema, self.schema):
                self.state.index = self._open_index()
                self.state.view = None
        self.index = self.state.index
        self.setup_complete = True

    def _open_index(self):
        """The index, a new one in a directory without index files, or None when it is damaged.

        A damaged index is never replaced by an empty one: that would answer every search with
        nothing and look healthy. The reason is kept (state.damage) and every search and write
        raises IndexDamaged with it until `check_index --fix` or `rebuild_index` rebuilds the
        index from the database. An index written with other fields (by an older release)
        is refused the same way.
        """
        try:
            if check_files(self.storage) is None:
                ix = self.storage.create_index(self.schema)
            elif not same_schema(self.storage.open_index().schema, self.schema):
                raise IndexDamaged("it was written with other fields (by an older release)")
            else:
                ix = self.storage.open_index(schema=self.schema)
                with ix.searcher():
                    pass
        except IndexDamaged as damage:
            return self._damaged(damage)
        except OSError:
            raise  # the directory itself cannot be read: an engine failure, not damage a rebuild cures
        except Exception as error:
            return self._damaged(IndexDamaged(f"it cannot be read ({type(error).__name__}: {error})"))
        self.state.damage = None
        return ix

    def _damaged(self, damage):
        if self.state.damage != str(damage):
            log.error("Search index at %s is damaged: %s. `manage.py check_index --fix` rebuilds it from the "
                      "database.", self.path, damage)
        self.state.damage = str(damage)
        self.state.view = None
        return None

    def open_index(self):
        """The open index; IndexDamaged while it is damaged. A damaged index is looked at again at
        each call, so a rebuild by another process (check_index --fix) is noticed at once."""
        if not self.setup_complete:
            self.setup()
        with self.state.lock:
            if self.state.index is None:
                self.state.index = self._open_index()
            if self.state.index is None:
                raise IndexDamaged(self.state.damage)
            self.index = self.state.index
            return self.index

    def _recreate(self):
        shutil.rmtree(self.path, ignore_errors=True)
        os.makedirs(self.path, exist_ok=True)
        self.storage = FileStorage(self.path)
        self.state.tables.clear()
        self.state.view = None
        self.state.damage = None
        return self.storage.create_index(self.schema)

    # -- writing

    @contextmanager
    def writer(self, mergetype=merge_by_tier):
        """A writer that waits for another process's lock instead of failing at once.

        A commit that fails (a full disk) leaves the index at its last commit, and lets go of the lock.
        """
        index = self.open_index()
        try:
            writer = ArchiveSegmentWriter(index, timeout=WRITE_LOCK_TIMEOUT, delay=0.25, codec=ArchiveCodec(),
                                          compound=False)
        except LockError:
            raise SearchBackendError(f"The search index at {self.path} stayed locked for {WRITE_LOCK_TIMEOUT:.0f} s.")
        try:
            yield writer
            writer.commit(mergetype=mergetype)
        except BaseException:
            try:
                if not writer.is_closed:
                    writer.cancel()
            finally:
                release_write_lock(writer)
            raise

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
            self.state.index = self.index = self._recreate()  # also a damaged index's cure

    def delete_index(self):
        self.clear()

    def optimize(self):
        with self.writer(mergetype=OPTIMIZE):
            pass

    # -- the searcher generation and its arrays

    def current_view(self):
        index = self.open_index()
        state = self.state
        with state.lock:
            view = state.view
            if view is not None and view.searcher.up_to_date():
                return view
            for attempt in range(1, VIEW_ATTEMPTS + 1):
                self.check_generation()
                # A new searcher, not Searcher.refresh(): refresh reuses a segment's reader
                # even when a commit has deleted documents from it. The segment arrays
                # are reused anyway (state.tables); the old searcher closes when unused.
                try:
                    state.view = build_view(index.searcher(), state, self.evaluator)
                    return state.view
                except SegmentGone:
                    # Another process committed a merge while this generation was being opened.
                    if attempt == VIEW_ATTEMPTS:
                        raise

    def check_generation(self):
        """Check the files of a generation another commit made before reading it (IndexDamaged)."""
        try:
            check_files(self.storage)
        except IndexDamaged as damage:
            self.state.index = self._damaged(damage)
            raise

    # -- query evaluation

    @log_query
    def search(self, query_string, sort_by=None, start_offset=0, end_offset=None, fields="",
               highlight=False, facets=None, date_facets=None, query_facets=None, narrow_queries=None,
               spelling_query=None, within=None, dwithin=None, distance_point=None, models=None,
               limit_to_registered_models=None, result_class=None, **kwargs):
        if date_facets or query_facets:
            raise SearchBackendError("Facet by a stored field (e.g. month) instead of date or query facets.")
        if not self.setup_complete:
            self.setup()
        parsed = self.evaluator.parse(force_str(query_string))
        with self.state.lock:  # the segment readers' files are shared: one search at a time per process
            return self._search(parsed, sort_by, start_offset, end_offset, highlight, facets, narrow_queries,
                                spelling_query, result_class)

    def _search(self, parsed, sort_by, start_offset, end_offset, highlight, facets, narrow_queries,
                spelling_query, result_class):
        view = self.current_view()
        narrowing = self.evaluator.narrowing(narrow_queries)
        per_leaf = []
        for leaf in view.leaves:
            matches = self.evaluator.evaluate(view, leaf, parsed)
            per_leaf.append((leaf, self.evaluator.narrowed(leaf, matches, narrowing)))
        gdocs = np.concatenate([m.docs + leaf.offset for leaf, m in per_leaf] or [np.empty(0, np.int64)])
        scores = np.concatenate([m.scores for _, m in per_leaf] or [np.empty(0)])
        end = len(gdocs) if end_offset is None else end_offset
        page = self.evaluator.page_order(view, gdocs, scores, sort_by, start_offset or 0, end)
        terms = self.highlight_terms(parsed) if highlight else None
        results = [self.result(view, int(gdocs[i]), float(scores[i]), terms, result_class) for i in page]
        return {
            "results": results,
            "hits": len(gdocs),
            "facets": {"fields": self.evaluator.facet_counts(view, gdocs, facets or {}), "dates": {}, "queries": {}},
            "spelling_suggestion": suggestion(view, self.content_field_name, spelling_query) if spelling_query else None,
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
            stored["highlighted"] = {self.content_field_name: [snippet(stored.get(BODY_FIELD, ""), terms)]}
        return (result_class or SearchResult)(app_label, model_name, pk, score, **stored)

    def highlight_terms(self, parsed):
        """What a query looks for in the text, for marking snippets: words and word patterns."""
        found = set()
        for q in parsed.leaves():
            if isinstance(q, wq.Phrase):
                found.update(fold(w) for w in q.words)
            elif isinstance(q, wq.Term) and q.fieldname in (self.content_field_name, HEADLINE_FIELD):
                found.add(fold(force_str(q.text)))
            elif isinstance(q, (wq.Prefix, wq.Wildcard)):
                found.add(wildcard_pattern(fold(q.text) + ("*" if isinstance(q, wq.Prefix) else "")))
        return found

    # -- more like this

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
        counts = Counter(words(f"{stored.get(HEADLINE_FIELD, '')}\n{stored.get(BODY_FIELD, '')}"))
        field = self.content_field_name
        # As Lucene's MoreLikeThis (maxDocFreqPct): a word in a fifth of all stories says little about
        # likeness, and reading its postings was most of a story page's time at 100,000 stories. A word
        # in fewer than MLT_CHEAP stories costs little to read, so a small archive keeps all its words.
        common = max(MLT_MAX_DOC_SHARE * view.live_count, MLT_CHEAP)
        weighted = [(tf * searcher.idf(field, w), w) for w, tf in counts.items()
                    if view.doc_frequency(field, w) <= common]
        top = [w for _, w in heapq.nlargest(MLT_TERMS, weighted)]
        q = wq.Or([wq.Term(field, w) for w in top])
        per_leaf = [(leaf, self.evaluator.evaluate(view, leaf, q)) for leaf in view.leaves]
        gdocs = np.concatenate([m.docs + leaf.offset for leaf, m in per_leaf] or [np.empty(0, np.int64)])
        scores = np.concatenate([m.scores for _, m in per_leaf] or [np.empty(0)])
        keep = gdocs != docnum
        gdocs, scores = gdocs[keep], scores[keep]
        end = len(gdocs) if end_offset is None else end_offset
        page = self.evaluator.page_order(view, gdocs, scores, None, start_offset or 0, end)
        results = [self.result(view, int(gdocs[i]), float(scores[i]), None, result_class) for i in page]
        return {"results": results, "hits": len(gdocs)}

    def create_spelling_suggestion(self, query_string):
        return suggestion(self.current_view(), self.content_field_name, query_string)


class ArchiveWhooshQuery(WhooshSearchQuery):
    def run_mlt(self, **kwargs):
        """More like this, for the slice asked for only.

        haystack's run_mlt drops the slice (``more_like_this(story)[:5]``), so the backend made
        a result, with its stored fields read and unpacked, for every story sharing a word:
        seconds per story page at 100,000 stories.
        """
        kwargs.setdefault("start_offset", self.start_offset)
        kwargs.setdefault("end_offset", self.end_offset)
        super().run_mlt(**kwargs)


class ArchiveWhooshEngine(BaseEngine):
    backend = ArchiveWhooshBackend
    query = ArchiveWhooshQuery
