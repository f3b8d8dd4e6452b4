"""The search contract shared by the search page, the JSON API and every engine.

Views parse a request into SearchParams and render a SearchResult; how a
SearchResult is computed (search.query) is the only part that talks to haystack.
"""
import datetime
from dataclasses import dataclass, field

from digest.kinds import ACTOR, ENTITY_KINDS


@dataclass(frozen=True)
class FacetKind:
    """One kind of entity facet: its name is the query-string parameter ("not_" + name excludes),
    the SearchParams attribute and the StoryIndex field that is counted."""

    name: str
    title: str
    field: str  # the engine field holding each value verbatim, for selecting and excluding
    view: str  # the search.facets class that shows it


# Every entity kind is a facet: actors show their type beside each value.
FACET_KINDS = {kind.name: FacetKind(
    kind.name, kind.heading, f"{kind.name}_exact", "ActorFacet" if kind is ACTOR else "EntityFacet",
) for kind in ENTITY_KINDS}
FACETS = tuple(FACET_KINDS)

# StoryIndex's fields (search.search_indexes) as the query service and the engines name them.
TEXT_FIELD = "text"
HEADLINE_FIELD = "headline"
BODY_FIELD = "body"
DATE_FIELD = "digest_date"
MONTH_FIELD = "month"

# Each sort order by name, as haystack order_by() fields.
SORTS = {"relevance": (), "newest": ("-" + DATE_FIELD,), "oldest": (DATE_FIELD,)}


class SearchError(ValueError):
    """The request cannot be searched as given; the message tells the user why."""


@dataclass
class SearchParams:
    q: str = ""
    place: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    not_place: list[str] = field(default_factory=list)
    not_actor: list[str] = field(default_factory=list)
    not_source: list[str] = field(default_factory=list)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    fold: bool = False  # show near-duplicates of a page under its first of them (search.folding)


@dataclass
class Hit:
    id: int
    url: str
    headline: str
    digest_date: datetime.date
    snippet: str  # HTML: escaped text with matched words in <mark>
    places: list[str]
    actors: list[str]
    sources: list[str]


@dataclass
class FacetValue:
    value: str
    count: int
    selected: bool = False
    excluded: bool = False


@dataclass
class SearchResult:
    params: SearchParams
    total: int
    page: int
    pages: int
    hits: list[Hit]
    # "place", "actor", "source": values by count; "month": "YYYY-MM" values by month
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = None
    # The facets whose values were cut at search.query.FACET_LIMIT (more values have stories).
    truncated: frozenset = frozenset()
