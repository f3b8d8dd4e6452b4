"""Searching stories through haystack's own API, whatever engine SEARCH_URL selects.

Everything here is a SearchQuerySet call (raw_search, facet, narrow, order_by,
highlight, more_like_this), and every filter is a narrow query in Lucene syntax
(``place_exact:"Deir ez-Zor"``), which Solr understands as a filter query and
search.whoosh parses itself. SearchParams arrive validated (search.params); what
an engine refuses or fails at is sorted here by the engine contract (search.contract).
"""
import html
import logging
import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace

from django.urls import reverse
from haystack.query import SearchQuerySet

from .contract import INDEX_DAMAGED, EngineUnavailable, IndexDamaged, QueryNotSearchable
from .results import DATE_FIELD, FACET_KINDS, FACETS, MONTH_FIELD, SORTS, FacetValue, Hit, SearchParams, SearchResult
from .text import SNIPPET_CHARS

logger = logging.getLogger(__name__)

# Values listed per facet, by count; selected and excluded values are always added.
FACET_LIMIT = 100
MONTH_FACET = MONTH_FIELD
# A month value as indexed ("2014-11"), or a date or time within it that an engine may return instead.
MONTH = re.compile(r"(?!0000)(\d{4})-(0[1-9]|1[0-2])(?:-\d{2}(?:[T ][\d:.]+Z?)?)?")


def quoted(value: str) -> str:
    """A facet value as a Lucene phrase: every character kept, quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def narrow_queries(params: SearchParams) -> list[str]:
    narrows = []
    for facet, kind in FACET_KINDS.items():
        narrows += [f"{kind.field}:{quoted(v)}" for v in getattr(params, facet)]
        narrows += [f"-{kind.field}:{quoted(v)}" for v in getattr(params, "not_" + facet)]
    if params.date_from or params.date_to:
        low = f"{params.date_from.isoformat()}T00:00:00Z" if params.date_from else "*"
        high = f"{params.date_to.isoformat()}T23:59:59Z" if params.date_to else "*"
        narrows.append(f"{DATE_FIELD}:[{low} TO {high}]")
    return narrows


def search(params: SearchParams) -> SearchResult:
    """Stories matching params (as search.params validated them), one page of them, facet counts
    over all of them, and a suggestion."""
    q = params.q.strip()
    sqs = matching(params)
    if q:
        sqs = sqs.set_spelling_query(q)
    for facet in (*FACETS, MONTH_FACET):
        # One value past the limit tells whether the list was cut.
        sqs = sqs.facet(facet, limit=-1 if facet == MONTH_FACET else FACET_LIMIT + 1, mincount=1)
    start = (params.page - 1) * params.per_page
    with engine_answering():
        page = list(sqs[start:start + params.per_page])
        total = sqs.count()
        counts = sqs.facet_counts().get("fields", {})
        suggestion = sqs.spelling_suggestion(q) if q else None
    return SearchResult(
        params=params,
        total=total,
        page=params.page,
        pages=math.ceil(total / params.per_page),
        hits=[hit(result) for result in page],
        facets={
            **{facet: facet_values(counts.get(facet, [])[:FACET_LIMIT], params, facet, total) for facet in FACETS},
            MONTH_FACET: month_values(counts.get(MONTH_FACET, [])),
        },
        suggestion=suggestion if suggestion and suggestion.lower() != q.lower() else None,
        truncated=frozenset(facet for facet in FACETS if len(counts.get(facet, [])) > FACET_LIMIT),
    )


def matching(params: SearchParams) -> SearchQuerySet:
    """The stories params select, in the order they ask for, snippets marked: no facets, no page."""
    q = params.q.strip()
    sqs = SearchQuerySet()
    if q:
        sqs = sqs.raw_search(q).highlight(pre_tags=["<mark>"], post_tags=["</mark>"])
    for narrow in narrow_queries(params):
        sqs = sqs.narrow(narrow)
    if SORTS[params.sort]:
        sqs = sqs.order_by(*SORTS[params.sort])
    return sqs


def hit_chunks(sqs: SearchQuerySet, size: int):
    """Every result of `sqs` as lists of at most `size` Hits, one engine request per list.

    Each request runs on a fresh copy of the query, so nothing accumulates (a SearchQuerySet
    caches every result it has read); memory stays that of one chunk however many match.
    """
    start = 0
    while True:
        query = sqs.query._clone()
        query.set_limits(start, start + size)
        with engine_answering():
            chunk = [hit(result) for result in query.get_results()]
        if chunk:
            yield chunk
        if len(chunk) < size:
            return
        start += size


def value_counts(facet: str) -> dict[str, int]:
    """Every value of one facet (place, actor or source) with its number of stories, over the whole index:
    the totals each value's own search reports."""
    sqs = SearchQuerySet().facet(facet, limit=-1, mincount=1)
    with engine_answering():
        sqs[:1]  # runs the query for one hit: facet_counts() alone would load every story found
        counts = sqs.facet_counts().get("fields", {})
    return dict(counts.get(facet, []))


def earliest_date(params: SearchParams):
    """The digest date of the oldest story matching params' filters (no facets counted), or None."""
    with engine_answering():
        oldest = list(matching(replace(params, sort="oldest"))[:1])
    if not oldest:
        return None
    digest_date = oldest[0].digest_date
    return digest_date.date() if hasattr(digest_date, "date") else digest_date


def facet_values(counted, params, facet, total) -> list[FacetValue]:
    """The counted values, then any selected or excluded value the counts left out."""
    selected, excluded = getattr(params, facet), getattr(params, "not_" + facet)
    values = [FacetValue(v, c, selected=v in selected, excluded=v in excluded) for v, c in counted]
    listed = {v.value for v in values}
    values += [FacetValue(v, total, selected=True) for v in selected if v not in listed]
    values += [FacetValue(v, 0, excluded=True) for v in excluded if v not in listed]
    return values


def month_values(counted) -> list[FacetValue]:
    """The month counts as "YYYY-MM" values in month order, whatever shape the engine returned.

    Dates and times count toward their month; anything else (haystack's stock
    Whoosh backend returns analysed fragments such as "2014" and "11") is
    dropped, since no page could turn it into a date range.
    """
    months = Counter()
    for value, count in counted:
        match = MONTH.fullmatch(str(value).strip())
        if match:
            months[f"{match[1]}-{match[2]}"] += count
    return [FacetValue(month, count) for month, count in sorted(months.items())]


def more_like_this(story, limit=5) -> list[Hit]:
    """Stories whose words most resemble this one's."""
    with engine_answering():
        return [hit(result) for result in SearchQuerySet().more_like_this(story)[:limit]]


@contextmanager
def engine_answering():
    """The engine contract: a refusal goes to the user as it is (a SearchError); any other
    error is the engine's failure, logged with its own text and raised as EngineUnavailable."""
    try:
        yield
    except QueryNotSearchable:
        raise
    except IndexDamaged as error:
        logger.error("The search index is damaged: %s. `manage.py check_index --fix` rebuilds it.", error)
        raise EngineUnavailable(INDEX_DAMAGED) from error
    except Exception as error:  # SearchBackendError, a connection's OSError, an index's own errors
        logger.error("The search engine failed: %s", error, exc_info=True)
        raise EngineUnavailable() from error


def hit(result) -> Hit:
    highlighted = getattr(result, "highlighted", None) or {}
    fragments = highlighted.get("text") if isinstance(highlighted, dict) else highlighted
    digest_date = result.digest_date
    return Hit(
        id=int(result.pk),
        url=reverse("digest:story", args=[int(result.pk), result.slug]),
        headline=result.headline,
        digest_date=digest_date.date() if hasattr(digest_date, "date") else digest_date,
        snippet=fragments[0] if fragments else leading_text(getattr(result, "body", "") or ""),
        places=list(getattr(result, "place", None) or []),
        actors=list(getattr(result, "actor", None) or []),
        sources=list(getattr(result, "source", None) or []),
    )


def leading_text(body: str) -> str:
    """The first words of the body, escaped, for results that no query words mark."""
    if len(body) <= SNIPPET_CHARS:
        return html.escape(body)
    cut = body.rfind(" ", 0, SNIPPET_CHARS)
    return html.escape(body[: cut if cut > 0 else SNIPPET_CHARS]) + "…"
