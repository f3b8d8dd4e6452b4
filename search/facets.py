"""Facet kinds of the search page, one small class per kind (after Datasette's facets).

Each kind answers the same questions for the current result set: which
values to offer, which are selected or excluded, and the link that changes
each, so templates and the JSON API never build a URL by hand.
"""
import calendar
import datetime
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import quote_plus

from digest.models import Entity

from .params import query_string
from .results import SearchParams, SearchResult


# Stands for a facet value in a link made once for every value (EntityFacet._added_url).
_MARKER = "\x00value\x00"


def search_url(base_url: str, params: SearchParams, **changes) -> str:
    """The search page's address for `params` with `changes` (see params.query_string)."""
    query = query_string(params, **changes)
    return f"{base_url}?{query}" if query else base_url


@dataclass
class FacetOption:
    """A value with its count; its links are built only when shown (the JSON API needs none)."""

    facet: "EntityFacet" = field(repr=False, compare=False)
    value: str
    count: int
    selected: bool
    excluded: bool
    type: str = ""  # the actor's type, for actors
    hidden: bool = False  # listed after "more"

    @property
    def url(self) -> str:
        """Selects the value; on a selected or excluded value, undoes that."""
        return self.facet.toggle_url(self)

    @property
    def exclude_url(self) -> str:
        """Excludes the value; empty when it is already excluded."""
        return "" if self.excluded else self.facet.exclude_url(self.value)


@dataclass
class Chip:
    """A selected or excluded value (or the date range), shown with the link that removes it."""

    kind: str
    label: str
    excluded: bool
    remove_url: str


class EntityFacet:
    """Places, actors or sources mentioned by the stories found, by count."""

    shown = 8  # values listed before "more"

    def __init__(self, name: str, title: str, params: SearchParams, result: SearchResult, base_url: str,
                 expanded: bool = False):
        self.name, self.title = name, title
        self.params, self.result, self.base_url = params, result, base_url
        self.expanded = expanded
        self.selected = getattr(params, name)
        self.excluded = getattr(params, "not_" + name)

    @cached_property
    def options(self) -> list[FacetOption]:
        values = self.result.facets.get(self.name, [])
        types = self.types([v.value for v in values])
        options = [
            FacetOption(self, v.value, v.count, v.value in self.selected, v.value in self.excluded, types.get(v.value, ""))
            for v in values
        ]
        if not self.expanded:
            # Chosen values stay in sight wherever their count ranks them.
            for option in options[self.shown:]:
                option.hidden = not (option.selected or option.excluded)
        return options

    def types(self, names: list[str]) -> dict[str, str]:
        """A label to show beside each value; only actors have one."""
        return {}

    @property
    def hidden_count(self) -> int:
        return sum(option.hidden for option in self.options)

    @property
    def more_url(self) -> str:
        """This page with every value of the facet listed (works without JavaScript)."""
        query = query_string(self.params)
        return f"{self.base_url}?{query}{'&' if query else ''}expand={self.name}#facet-{self.name}"

    def chips(self) -> list[Chip]:
        selected = [Chip(self.name, v, False, self._url(selected=self._without(self.selected, v)))
                    for v in self.selected]
        excluded = [Chip(self.name, v, True, self._url(excluded=self._without(self.excluded, v)))
                    for v in self.excluded]
        return selected + excluded

    def narrow_url(self, value: str) -> str:
        """The current search narrowed to stories that also mention `value`."""
        if value in self.selected:
            return search_url(self.base_url, self.params)
        if value not in self.excluded:
            return self._added_url("narrow", value)
        return self._url(selected=self.selected + [value], excluded=self._without(self.excluded, value))

    def toggle_url(self, option: FacetOption) -> str:
        if option.selected:
            return self._url(selected=self._without(self.selected, option.value))
        if option.excluded:
            return self._url(excluded=self._without(self.excluded, option.value))
        return self.narrow_url(option.value)

    def exclude_url(self, value: str) -> str:
        if value not in self.selected and value not in self.excluded:
            return self._added_url("exclude", value)
        return self._url(selected=self._without(self.selected, value), excluded=self.excluded + [value])

    def _added_url(self, how: str, value: str) -> str:
        """The link adding `value` (neither selected nor excluded) to the selected or excluded values.

        A page offers some 600 of these, which differ only in that value: the link is made once
        with a marker in the value's place, and each value's encoding goes where the marker is."""
        template = self._added_templates[how]
        if template is None:
            selected, excluded = (self.selected + [value], self.excluded) if how == "narrow" else (self.selected, self.excluded + [value])
            return self._url(selected=selected, excluded=excluded)
        before, after = template
        return f"{before}{quote_plus(value)}{after}"

    @cached_property
    def _added_templates(self) -> dict[str, tuple[str, str]]:
        marker = quote_plus(_MARKER)
        templates = {}
        for how, url in (("narrow", self._url(selected=self.selected + [_MARKER], excluded=self.excluded)),
                         ("exclude", self._url(selected=self.selected, excluded=self.excluded + [_MARKER]))):
            before, found, after = url.partition(marker)
            # A query that itself holds the marker gets its links made one by one.
            templates[how] = (before, after) if found and marker not in before + after else None
        return templates

    def _url(self, selected: list[str] | None = None, excluded: list[str] | None = None) -> str:
        changes = {}
        if selected is not None:
            changes[self.name] = selected
        if excluded is not None:
            changes["not_" + self.name] = excluded
        return search_url(self.base_url, self.params, **changes)

    @staticmethod
    def _without(values: list[str], value: str) -> list[str]:
        return [v for v in values if v != value]


class ActorFacet(EntityFacet):
    """Actors, each with its type (person, armed group, ...) from the curated entities."""

    def types(self, names: list[str]) -> dict[str, str]:
        labels = dict(Entity.ACTOR_TYPES)
        rows = Entity.objects.filter(kind=Entity.ACTOR, name__in=names).exclude(actor_type="")
        return {name: labels.get(kind, kind) for name, kind in rows.values_list("name", "actor_type")}


@dataclass
class MonthBar:
    facet: "MonthFacet" = field(repr=False, compare=False)
    value: str  # "YYYY-MM"
    count: int
    height: int  # percent of the busiest month
    selected: bool

    @property
    def label(self) -> str:
        return month_range(self.value)[0].strftime("%b %Y")

    @property
    def url(self) -> str:
        """The date range narrowed to this month; empty when no story falls in it."""
        return self.facet.dates_url(*month_range(self.value)) if self.count else ""


@dataclass
class YearBars:
    year: int
    count: int
    selected: bool
    url: str
    months: list[MonthBar]


class MonthFacet:
    """How the stories found spread over months; each bar narrows the date range to its month or year."""

    name = "month"

    def __init__(self, params: SearchParams, result: SearchResult, base_url: str):
        self.params, self.result, self.base_url = params, result, base_url

    @cached_property
    def options(self) -> list[MonthBar]:
        """The months that have stories, in month order."""
        months = [v for v in self.result.facets.get("month", []) if v.count]
        busiest = max((v.count for v in months), default=0)
        return [self._bar(v.value, v.count, busiest) for v in months]

    def years(self) -> list[YearBars]:
        """Every month from the first to the last with stories, empty months included, grouped by year."""
        if not self.options:
            return []
        counts = {bar.value: bar.count for bar in self.options}
        busiest = max(counts.values())
        first, last = self.options[0].value, self.options[-1].value
        years = []
        for year in range(int(first[:4]), int(last[:4]) + 1):
            values = [f"{year:04d}-{month:02d}" for month in range(1, 13)]
            months = [self._bar(value, counts.get(value, 0), busiest) for value in values if first <= value <= last]
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            years.append(YearBars(year, sum(m.count for m in months), self._is_range(start, end),
                                  self.dates_url(start, end), months))
        return years

    def _bar(self, value: str, count: int, busiest: int) -> MonthBar:
        return MonthBar(self, value, count, round(100 * count / busiest) if busiest else 0,
                        self._is_range(*month_range(value)))

    def chips(self) -> list[Chip]:
        start, end = self.params.date_from, self.params.date_to
        chips = []
        if start:
            chips.append(Chip("from", f"from {start:%Y-%m-%d}", False, self.dates_url(None, end)))
        if end:
            chips.append(Chip("to", f"to {end:%Y-%m-%d}", False, self.dates_url(start, None)))
        return chips

    def _is_range(self, start: datetime.date, end: datetime.date) -> bool:
        return (self.params.date_from, self.params.date_to) == (start, end)

    def dates_url(self, start, end) -> str:
        return search_url(self.base_url, self.params, date_from=start, date_to=end)


def month_range(value: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a "YYYY-MM" month."""
    year, month = int(value[:4]), int(value[5:7])
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
