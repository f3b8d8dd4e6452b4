"""The entity index's state, read from the query string (the URL is the state) and written back.

A parameter that cannot be used raises EntityParamsError with a message for the person (400).
"""
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from digest.models import Entity

KINDS = tuple(kind for kind, _ in Entity.KINDS)
SORTS = ("stories", "name")
MAX_FILTER_CHARS = 200  # Entity.name's length
MAX_PAGE = 10_000
PER_PAGE = 50


class EntityParamsError(ValueError):
    """The request cannot be answered as given; the message says why."""


@dataclass(frozen=True)
class EntityListParams:
    kind: str = ""  # "" for every kind
    q: str = ""
    sort: str = "stories"
    page: int = 1
    per_page: int = PER_PAGE

    def query_string(self, **changes) -> str:
        """The canonical query string with `changes`; any change but the page goes back to page 1."""
        if changes and "page" not in changes:
            changes["page"] = 1
        params = replace(self, **changes)
        pairs = [(name, value) for name, value in (("kind", params.kind), ("q", params.q)) if value]
        if params.sort != "stories":
            pairs.append(("sort", params.sort))
        if params.page != 1:
            pairs.append(("page", params.page))
        return urlencode(pairs)


def parse_list_params(query) -> EntityListParams:
    kind = query.get("kind", "").strip()
    if kind and kind not in KINDS:
        raise EntityParamsError(f"“{kind[:40]}” is not a kind of entity; use one of: {', '.join(KINDS)}.")
    q = query.get("q", "")
    if "\ufffd" in q or any(ord(c) < 32 for c in q):
        raise EntityParamsError("The name filter contains characters that are not text.")
    q = " ".join(q.split())
    if len(q) > MAX_FILTER_CHARS:
        raise EntityParamsError(f"The name filter is {len(q):,} characters long; the limit is {MAX_FILTER_CHARS}.")
    sort = query.get("sort", "").strip() or "stories"
    if sort not in SORTS:
        raise EntityParamsError(f"“{sort[:40]}” is not a sort order; use one of: {', '.join(SORTS)}.")
    return EntityListParams(kind=kind, q=q, sort=sort, page=_page(query.get("page", "").strip()), per_page=PER_PAGE)


def _page(value: str) -> int:
    if not value:
        return 1
    if not (value.isascii() and value.isdigit()) or not value.strip("0"):
        raise EntityParamsError(f"“{value[:40]}” is not a page number; pages are counted from 1.")
    if len(value.lstrip("0")) > len(str(MAX_PAGE)) or int(value) > MAX_PAGE:
        raise EntityParamsError(f"Page {value[:40]} is too far; at most {MAX_PAGE:,} pages can be shown.")
    return int(value)
