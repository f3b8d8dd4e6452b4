"""What one search shows, for the HTML page and the JSON API alike.

Both views render a SearchPage, so the API returns exactly what the page
shows: the same hits, the same facet values and counts, the same suggestion.
"""
from dataclasses import dataclass
from functools import cached_property

from digest.selectors import entity_pages

from . import facets as facet_views
from .facets import Chip, MonthFacet, search_url
from .folding import FoldedHit, fold
from .params import query_string
from .results import FACET_KINDS, FACETS, SORTS, Hit, SearchParams, SearchResult

PAGE_WINDOW = 2  # page links either side of the current page


@dataclass
class EntityLink:
    kind: str
    value: str
    url: str  # the current search narrowed to stories that also mention this value
    page_url: str = ""  # the entity's own page


@dataclass
class HitView:
    hit: Hit
    entities: list[EntityLink]
    similar: list[Hit]  # near-duplicates folded under this hit (empty unless the search folds)


@dataclass
class PageLink:
    number: int | None  # None marks a gap ("…")
    url: str
    current: bool


class SearchPage:
    """One search's hits, facets, chips and links; every link is the current state with one change."""

    def __init__(self, params: SearchParams, result: SearchResult, base_url: str, expanded=()):
        self.params, self.result, self.base_url = params, result, base_url
        self.facets = {
            name: getattr(facet_views, kind.view)(name, kind.title, params, result, base_url,
                                                  expanded=name in expanded)
            for name, kind in FACET_KINDS.items()
        }
        self.months = MonthFacet(params, result, base_url)

    @cached_property
    def entries(self) -> list[FoldedHit]:
        """The page's hits, near-duplicates folded under the first of them when the search folds."""
        return fold(self.result.hits) if self.params.fold else [FoldedHit(hit) for hit in self.result.hits]

    @cached_property
    def hits(self) -> list[HitView]:
        pairs = [(kind, value) for hit in self.result.hits for kind in FACETS for value in getattr(hit, kind + "s")]
        pages = entity_pages(pairs)
        return [
            HitView(entry.hit, [EntityLink(kind, value, self.facets[kind].narrow_url(value), pages.get((kind, value), ""))
                                for kind in FACETS for value in getattr(entry.hit, kind + "s")], entry.similar)
            for entry in self.entries
        ]

    def fold_url(self) -> str:
        """The same search with folding switched over, from its first page."""
        return search_url(self.base_url, self.params, fold=not self.params.fold)

    @cached_property
    def chips(self) -> list[Chip]:
        return [chip for facet in self.facets.values() for chip in facet.chips()] + self.months.chips()

    def clear_url(self) -> str:
        """The same query with every filter removed."""
        return search_url(self.base_url, SearchParams(q=self.params.q, sort=self.params.sort, fold=self.params.fold))

    def suggestion_url(self) -> str:
        return search_url(self.base_url, self.params, q=self.result.suggestion) if self.result.suggestion else ""

    def export_query(self) -> str:
        """The search without its page: the query string of its CSV export, its feed and a saved copy."""
        return query_string(self.params, page=1)

    def sort_links(self) -> list[tuple[str, str, bool]]:
        """(label, url, current) per sort order; relevance only ranks a query."""
        return [(sort.capitalize(), search_url(self.base_url, self.params, sort=sort), sort == self.params.sort)
                for sort in SORTS if self.params.q or sort != "relevance"]

    def filter_fields(self) -> list[tuple[str, str]]:
        """The selected and excluded values, as hidden form fields: a new query keeps its filters."""
        return [(prefix + name, value) for name in FACETS for prefix in ("", "not_")
                for value in getattr(self.params, prefix + name)]

    @cached_property
    def page_links(self) -> list[PageLink]:
        """First, last, and the pages around the current one, with gaps between."""
        current, last = self.result.page, self.result.pages
        if last <= 1:
            return []
        numbers = sorted({1, last} | set(range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)))
        links = []
        for number in numbers:
            if links and number - links[-1].number > 1:
                links.append(PageLink(None, "", False))
            links.append(PageLink(number, self.page_url(number), number == current))
        return links

    def page_url(self, number: int) -> str:
        return search_url(self.base_url, self.params, page=number)

    def previous_url(self) -> str:
        return self.page_url(self.result.page - 1) if self.result.page > 1 else ""

    def next_url(self) -> str:
        return self.page_url(self.result.page + 1) if self.result.page < self.result.pages else ""

    def as_json(self) -> dict:
        return {
            "query": self.params.q,
            "sort": self.params.sort,
            "from": self.params.date_from.isoformat() if self.params.date_from else None,
            "to": self.params.date_to.isoformat() if self.params.date_to else None,
            "total": self.result.total,
            "page": self.result.page,
            "pages": self.result.pages,
            "fold": self.params.fold,
            "results": [
                {
                    "id": entry.hit.id,
                    "url": entry.hit.url,
                    "headline": entry.hit.headline,
                    "digest_date": entry.hit.digest_date.isoformat(),
                    "snippet": entry.hit.snippet,
                    "places": entry.hit.places,
                    "actors": entry.hit.actors,
                    "sources": entry.hit.sources,
                }
                # Folded: the stories of this page that tell the same event, in rank order.
                | ({"similar": [{"id": hit.id, "url": hit.url, "headline": hit.headline,
                                 "digest_date": hit.digest_date.isoformat()} for hit in entry.similar]}
                   if self.params.fold else {})
                for entry in self.entries
            ],
            "facets": {
                **{
                    name: [
                        {"value": o.value, "count": o.count, "selected": o.selected, "excluded": o.excluded}
                        | ({"type": o.type} if name == "actor" else {})
                        for o in facet.options
                    ]
                    for name, facet in self.facets.items()
                },
                "month": [{"value": bar.value, "count": bar.count, "selected": bar.selected}
                          for bar in self.months.options],
            },
            # How many values each facet lists, and whether more values have stories: a list
            # is cut at FACET_LIMIT values by count (selected and excluded values always stay).
            "facet_lists": {name: {"values": len(facet.options), "truncated": name in self.result.truncated}
                            for name, facet in self.facets.items()},
            "suggestion": self.result.suggestion,
        }
