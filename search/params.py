"""The search page's state, read from and written back to the query string.

The URL is the state: `parse_params` turns a request's GET parameters into
SearchParams and `query_string` turns SearchParams back into the canonical
query string, so every link the page offers (a facet toggle, a chip's removal,
a page number) is the current state with one thing changed.

Anything that cannot be searched as given raises SearchError with a message
for the person who typed it; values that are merely unknown (a place nobody
mentions) are not errors, they select zero stories.
"""
import datetime
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from urllib.parse import quote_plus

from .contract import QUERY_OPERATORS, check_wildcards, query_tokens
from .results import FACETS, SORTS, SearchError, SearchParams

MAX_QUERY_CHARS = 500
MAX_VALUE_CHARS = 200  # Entity.name's length
MAX_VALUES_PER_FACET = 20
MAX_PAGE = 1000
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")

BINARY_OPERATORS = QUERY_OPERATORS - {"NOT"}


def parse_params(query) -> SearchParams:
    """Read the search state from a QueryDict (request.GET)."""
    q = _text(query, "q", MAX_QUERY_CHARS, "query")
    check_query_syntax(q)
    lists = {}
    for facet in FACETS:
        lists[facet] = _values(query, facet)
        lists["not_" + facet] = _values(query, "not_" + facet)
        both = set(lists[facet]) & set(lists["not_" + facet])
        if both:
            raise SearchError(f"“{sorted(both)[0]}” is both selected and excluded as a {facet}; choose one.")
    date_from = _date(query, "from")
    date_to = _date(query, "to")
    if date_from and date_to and date_from > date_to:
        raise SearchError(f"The date range starts ({date_from:%Y-%m-%d}) after it ends ({date_to:%Y-%m-%d}).")
    return SearchParams(
        q=q,
        **lists,
        date_from=date_from,
        date_to=date_to,
        sort=_sort(query, default=default_sort(q)),
        page=_page(query),
        fold=_fold(query),
    )


def check_address_encoding(raw_query_string: str) -> None:
    """Refuse raw (not %-escaped) bytes that are not UTF-8.

    WSGI hands the query string over as Latin-1 text, and Django silently
    falls back to Latin-1 when it is not UTF-8, so "Alep\xffpo" would
    otherwise be searched as "Alepÿpo".
    """
    try:
        raw_query_string.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise SearchError("The address contains bytes that are not valid UTF-8 text.") from None


def default_sort(q: str) -> str:
    """A query ranks by relevance; browsing everything shows the newest stories first."""
    return "relevance" if q else "newest"


def query_string(params: SearchParams, **changes) -> str:
    """The canonical query string of `params` with `changes` applied (dataclasses.replace keywords).

    Any change other than a new page goes back to page 1: a narrower result
    set has other pages.
    """
    if changes and "page" not in changes:
        changes["page"] = 1
    params = replace(params, **changes)
    pairs = [("q", params.q)] if params.q else []
    for facet in FACETS:
        pairs += [(facet, value) for value in getattr(params, facet)]
        pairs += [("not_" + facet, value) for value in getattr(params, "not_" + facet)]
    if params.date_from:
        pairs.append(("from", params.date_from.isoformat()))
    if params.date_to:
        pairs.append(("to", params.date_to.isoformat()))
    if params.sort != default_sort(params.q):
        pairs.append(("sort", params.sort))
    if params.fold:
        pairs.append(("fold", "1"))
    if params.page != 1:
        pairs.append(("page", str(params.page)))
    return "&".join(_encoded(name, value) for name, value in pairs)


@lru_cache(maxsize=4096)
def _encoded(name: str, value: str) -> str:
    # A page offers hundreds of links that share most of their pairs.
    return f"{name}={quote_plus(value)}"


def check_query_syntax(q: str) -> None:
    """Refuse queries every engine would misread: unbalanced quotes or brackets, dangling operators, leading wildcards.

    The rules are the query syntax the page documents (Lucene-style, shared by
    Whoosh and Solr), so they hold whichever engine runs the search.
    """
    if q.count('"') % 2:
        raise SearchError('The query has an unmatched double quote ("): close the phrase or remove the quote.')
    tokens = query_tokens(q)
    depth = 0
    for token in tokens:
        depth += {"(": 1, ")": -1}.get(token, 0)
        if depth < 0:
            raise SearchError("The query closes a bracket “)” that was never opened.")
    if depth:
        raise SearchError("The query opens a bracket “(” that is never closed.")
    for i, token in enumerate(tokens):
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if token in BINARY_OPERATORS:
            if before in (None, "(", "NOT") or before in BINARY_OPERATORS:
                raise SearchError(f"“{token}” needs a word before it, as in: Aleppo {token} Idlib.")
            if after in (None, ")") or after in BINARY_OPERATORS:
                raise SearchError(f"“{token}” needs a word after it, as in: Aleppo {token} Idlib.")
        elif token == "NOT" and (after in (None, ")", "NOT") or after in BINARY_OPERATORS):
            raise SearchError("“NOT” needs a word after it, as in: Aleppo NOT Idlib.")
        elif token not in ("(", ")", "NOT"):
            check_wildcards(token)


def _text(query, name: str, limit: int, what: str) -> str:
    value = query.get(name, "")
    _check_characters(value, what)
    value = " ".join(value.split())
    if len(value) > limit:
        raise SearchError(f"The {what} is {len(value):,} characters long; the limit is {limit:,}.")
    return value


def _values(query, name: str) -> list[str]:
    what = name.replace("_", " ")
    values = []
    for raw in query.getlist(name):
        _check_characters(raw, what)
        value = " ".join(raw.split())
        if len(value) > MAX_VALUE_CHARS:
            raise SearchError(f"A {what} value is {len(value):,} characters long; the limit is {MAX_VALUE_CHARS}.")
        if value and value not in values:
            values.append(value)
    if len(values) > MAX_VALUES_PER_FACET:
        raise SearchError(f"At most {MAX_VALUES_PER_FACET} {what} values can be given at once.")
    return values


def _check_characters(value: str, what: str) -> None:
    # Django decodes undecodable %-escapes to U+FFFD, the replacement character.
    if "\ufffd" in value:
        raise SearchError(f"The {what} in the address is not valid UTF-8 text.")
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value):
        raise SearchError(f"The {what} contains control characters.")


def _date(query, name: str) -> datetime.date | None:
    value = query.get(name, "").strip()
    if not value:
        return None
    _check_characters(value, f"“{name}” date")
    try:
        if not DATE_FORMAT.fullmatch(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise SearchError(f"“{value[:40]}” is not a date; write the “{name}” date as YYYY-MM-DD.") from None


def _sort(query, default: str) -> str:
    value = query.get("sort", "").strip() or default
    if value not in SORTS:
        raise SearchError(f"“{value[:40]}” is not a sort order; use one of: {', '.join(SORTS)}.")
    return value


def _fold(query) -> bool:
    value = query.get("fold", "").strip()
    if value not in ("", "0", "1"):
        raise SearchError(f"“{value[:40]}” is not a fold setting; use fold=1 to fold similar stories, fold=0 not to.")
    return value == "1"


def _page(query) -> int:
    value = query.get("page", "").strip()
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or not value.strip("0"):
        raise SearchError(f"“{value[:40]}” is not a page number; pages are counted from 1.")
    if len(value.lstrip("0")) > len(str(MAX_PAGE)) or int(value) > MAX_PAGE:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise SearchError(f"Page {shown} is too far; at most {MAX_PAGE:,} pages can be shown. "
                          "Narrow the search instead.")
    return int(value)
