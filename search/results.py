"""The search contract shared by the search page, the JSON API and every engine.

Views parse a request into SearchParams and render a SearchResult; how a
SearchResult is computed (search.query) is the only part that talks to haystack.
"""
import datetime
from dataclasses import dataclass, field

FACETS = ("place", "actor", "source")
# Each sort order by name, as haystack order_by() fields (the date is StoryIndex.digest_date).
SORTS = {"relevance": (), "newest": ("-digest_date",), "oldest": ("digest_date",)}


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
