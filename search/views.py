"""The search page and its JSON twin: parse the query string, search, render.

Every problem with a request is a SearchError, answered with status 400 and
the reason in words; an engine that fails is answered with 503 and an apology,
never a bare server error.
"""
import logging
import unicodedata
from itertools import chain

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from .contract import ENGINE_UNAVAILABLE, EngineUnavailable
from .export import CHUNK, csv_lines
from .feeds import SearchFeed
from .page import SearchPage
from .params import MAX_QUERY_CHARS, check_address_encoding, parse_params
from .query import hit_chunks, matching, search
from .results import FACETS, SearchError, SearchParams

TEMPLATE = "search/search.html"
logger = logging.getLogger(__name__)


def search_page(request):
    page, error, status = _answer(request)
    if error:
        return render(request, TEMPLATE, {"error": error, "form": _raw_form(_query(request) or QueryDict())},
                      status=status)
    return render(request, TEMPLATE, {"page": page, "form": _form(page.params)})


def search_api(request):
    """The JSON twin of the page; served at /api/search/ by the API (api/search.py), which describes it."""
    page, error, status = _answer(request)
    body = {"error": error} if error else page.as_json()
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def export_csv(request):
    """Every match of the search as CSV, streamed (served at /api/search/export.csv by the API, api/search.py); the first chunk is read before answering, so a
    bad search is still a 400 and a failing engine a 503 (a failure later on cuts the download short)."""
    chunks, error, status = _answer(request, _export_chunks)
    if error:
        return JsonResponse({"error": error}, status=status, json_dumps_params={"ensure_ascii": False})
    response = StreamingHttpResponse(csv_lines(chunks, request.build_absolute_uri),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="stories-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def search_feed(request):
    """The 50 newest matches as Atom; errors in words, as plain text, since a feed cannot show them."""
    response, error, status = _answer(request, lambda request: SearchFeed()(request, params=request_params(request)))
    if error:
        return HttpResponse(error, status=status, content_type="text/plain; charset=utf-8")
    return response


def _export_chunks(request):
    chunks = hit_chunks(matching(request_params(request)), CHUNK)
    first = next(chunks, None)
    return chain([first] if first else [], chunks)


def _answer(request, run=None):
    """(answer, error, status): a request problem is the user's to fix (400); an engine failure is ours (503)."""
    try:
        return (run or _search)(request), None, 200
    except SearchError as error:
        return None, str(error), 400
    except EngineUnavailable as error:  # search.query has logged the engine's own words
        return None, str(error), 503
    except Exception:
        logger.exception("Search failed for %r", request.META.get("QUERY_STRING", ""))
        return None, ENGINE_UNAVAILABLE, 503


def _query(request) -> QueryDict | None:
    """request.GET, or None when the address has more parameters than Django parses."""
    try:
        return request.GET
    except TooManyFieldsSent:
        return None


def request_params(request) -> SearchParams:
    """The request's search, or SearchError saying why it cannot be run."""
    check_address_encoding(request.META.get("QUERY_STRING", ""))
    query = _query(request)
    if query is None:
        raise SearchError(
            f"The address has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} parameters; "
            "a search needs only a few (a query, some facet values, dates)."
        )
    return parse_params(query)


def _search(request) -> SearchPage:
    params = request_params(request)
    query = request.GET
    result = search(params)
    if params.page > max(result.pages, 1):
        raise SearchError(f"Page {params.page} is past the last page of this search ({max(result.pages, 1)}).")
    expanded = [name for name in query.getlist("expand") if name in FACETS]
    return SearchPage(params, result, reverse("search:search"), expanded)


def _form(params) -> dict:
    return {
        "q": params.q,
        "from": params.date_from.isoformat() if params.date_from else "",
        "to": params.date_to.isoformat() if params.date_to else "",
    }


def _raw_form(query) -> dict:
    """The request's own values, so the person can correct what they typed."""
    return {
        name: "".join(c for c in query.get(name, "") if unicodedata.category(c) != "Cc")[: 2 * MAX_QUERY_CHARS]
        for name in ("q", "from", "to")
    }
