"""Query evaluation over the per-segment arrays: parse, match, score, narrow, count, order.

A parsed Whoosh query becomes, per segment, the array of matching document numbers and their
BM25 scores, straight from the posting blocks (search.whoosh.codec.read_postings); counting every
facet is then one ``numpy.bincount``, a selection or an exclusion a boolean mask, the page a
partial sort. The Evaluator needs a Whoosh schema and the views of search.whoosh.tables, not
haystack: tests build an index and evaluate queries against it directly.
"""
import datetime
import logging
import re
from dataclasses import dataclass, field

import numpy as np
from django.utils.encoding import force_str
from whoosh import query as wq
from whoosh.qparser import QueryParser

from search.contract import (
    CANNOT_NARROW, MAX_EXPANSION, NO_SEARCHABLE_WORDS, TOO_MANY_EXPANSIONS,
    UNREADABLE_QUERY, QueryNotSearchable,
    check_query_fields, check_term_count, check_wildcards,
)

from search.text import fold

from .codec import expanded_terms, expands, read_postings
from .fields import PAIRS_SUFFIX
from .tables import values_of

log = logging.getLogger(__name__)

POSITION_SPAN = 1 << 20
BM25_B, BM25_K1 = 0.75, 1.2

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
        raise QueryNotSearchable(f"{text!r} is not a date.") from None


class Evaluator:
    """Evaluates queries for one schema: which field holds the text, which are facets, which the date.

    ``model_field`` is the field a model restriction names (haystack's django_ct): one model is
    indexed, so a narrow by it changes nothing.
    """

    def __init__(self, schema, content_field, facet_fields, date_field, scored_fields, model_field="django_ct",
                 searchable_fields=("headline",)):
        self.schema = schema
        self.content_field_name = content_field
        self.facet_fields = list(facet_fields)
        self.date_field = date_field
        self.scored_fields = list(scored_fields)
        self.model_field = model_field
        self.searchable = {content_field, date_field, *searchable_fields, *self.facet_fields}
        self.parser = QueryParser(content_field, schema=schema)

    def parse(self, query_string):
        query_string = query_string.strip()
        if query_string in ("", "*", "*:*"):
            return wq.Every()
        check_query_fields(query_string, self.schema.names(), self.searchable)
        try:
            parsed = self.parser.parse(query_string)
        except Exception:  # Whoosh's parser fails on a few malformed inputs instead of recovering
            log.info("Unparsable query %r", query_string, exc_info=True)
            raise QueryNotSearchable(UNREADABLE_QUERY) from None
        if parsed is None or parsed is wq.NullQuery:
            raise QueryNotSearchable(NO_SEARCHABLE_WORDS)
        check_term_count(sum(1 for _ in parsed.leaves()))
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
            # The optional clause adds its own score where the required one matches, no more.
            required = self.evaluate(view, leaf, q.a)
            optional = self.evaluate(view, leaf, q.b) & Matches(required.docs, np.zeros(len(required.docs)))
            return required | optional
        if isinstance(q, wq.Require):
            other = self.evaluate(view, leaf, q.b)
            return self.evaluate(view, leaf, q.a) & Matches(other.docs, np.zeros(len(other.docs)))
        if isinstance(q, wq.MultiTerm) and expands(q):
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
        if isinstance(q, wq.Wildcard):
            check_wildcards(q.text)
        terms = []
        for t in expanded_terms(q, leaf.reader):
            terms.append(t)
            if len(terms) > MAX_EXPANSION:
                raise QueryNotSearchable(TOO_MANY_EXPANSIONS.format(word=q))
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
                raise QueryNotSearchable(CANNOT_NARROW.format(narrow=nq))
            name = m["field"]
            if name == self.model_field:
                continue  # one model is indexed; a model restriction changes nothing
            if m["value"] is not None and name in facet_of:
                value = re.sub(r"\\(.)", r"\1", m["value"])
                (result.exclude if m["neg"] else result.include).append((facet_of[name], value))
            elif m["low"] is not None and name == self.date_field and not m["neg"]:
                result.date_from, result.date_to = _date_bound(m["low"]), _date_bound(m["high"])
            else:
                raise QueryNotSearchable(CANNOT_NARROW.format(narrow=nq))
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

