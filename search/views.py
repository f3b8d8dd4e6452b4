"""The search page and its JSON twin: parse the query string, search, render.

Every problem with a request is a SearchError, answered with status 400 and
the reason in words; an engine that fails is answered with 503 and an apology,
never a bare server error.
"""
import logging
import unicodedata

from django.conf import settings
from django.core.exceptions import TooManyFieldsSent
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse

from .contract import ENGINE_UNAVAILABLE, EngineUnavailable
from .page import SearchPage
from .params import MAX_QUERY_CHARS, check_address_encoding, parse_params
from .query import search
from .results import FACETS, SearchError

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


def _answer(request):
    """(page, error, status): a request problem is the user's to fix (400); an engine failure is ours (503)."""
    try:
        return _search(request), None, 200
    except SearchError as error:
        return None, str(error), 400
    except EngineUnavailable:  # search.query has logged the engine's own words
        return None, ENGINE_UNAVAILABLE, 503
    except Exception:
        logger.exception("Search failed for %r", request.META.get("QUERY_STRING", ""))
        return None, ENGINE_UNAVAILABLE, 503


def _query(request) -> QueryDict | None:
    """request.GET, or None when the address has more parameters than Django parses."""
    try:
        return request.GET
    except TooManyFieldsSent:
        return None


def _search(request) -> SearchPage:
    check_address_encoding(request.META.get("QUERY_STRING", ""))
    query = _query(request)
    if query is None:
        raise SearchError(
            f"The address has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} parameters; "
            "a search needs only a few (a query, some facet values, dates)."
        )
    params = parse_params(query)
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
