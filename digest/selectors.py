"""Reads for the browsing pages that take more than one line of ORM.

Each page costs a fixed number of queries however many digests, stories or
entities it shows (tests/test_pages.py asserts the counts).
"""
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractMonth, ExtractYear

from .kinds import ENTITY_KINDS
from .models import Digest, Entity, Mention, Story

KIND_HEADINGS = {kind.name: kind.heading for kind in ENTITY_KINDS}
ACTOR_TYPE_LABELS = dict(Entity.ACTOR_TYPES)


@dataclass
class EntityChip:
    """An entity a story mentions; templates link it to search with {% entity_search_url %}, and to its page."""

    kind: str
    name: str
    actor_type: str = ""  # the type's label, for actors
    url: str = ""  # its entity page


@dataclass
class EntityGroup:
    kind: str
    heading: str
    chips: list[EntityChip]


@dataclass
class MonthCount:
    year: int
    month: int
    count: int

    @property
    def first_day(self) -> datetime.date:
        return datetime.date(self.year, self.month, 1)


@dataclass
class YearCount:
    year: int
    months: list[MonthCount] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(month.count for month in self.months)

    def month_slots(self) -> list[MonthCount]:
        """All twelve months of the year, those without digests at count 0, for an aligned jump bar."""
        counts = {month.month: month.count for month in self.months}
        return [MonthCount(self.year, month, counts.get(month, 0)) for month in range(1, 13)]


@dataclass
class ArchiveCalendar:
    """How many digests each year and month holds, newest year first."""

    years: list[YearCount]

    @cached_property
    def total(self) -> int:
        return sum(year.count for year in self.years)

    @property
    def first_month(self) -> datetime.date | None:
        return self.years[-1].months[0].first_day if self.years else None

    @property
    def last_month(self) -> datetime.date | None:
        return self.years[0].months[-1].first_day if self.years else None

    def year(self, number: int) -> YearCount | None:
        return next((year for year in self.years if year.year == number), None)


def archive_calendar() -> ArchiveCalendar:
    """Digest counts by year and month, in one grouped query."""
    rows = (
        Digest.objects.order_by()
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("year", "month")
        .annotate(count=Count("id"))
        .order_by("-year", "month")
    )
    years: dict[int, YearCount] = {}
    for row in rows:
        years.setdefault(row["year"], YearCount(row["year"])).months.append(
            MonthCount(row["year"], row["month"], row["count"])
        )
    return ArchiveCalendar(list(years.values()))


def digests_in(year: int | None = None, month: int | None = None):
    """Digests newest first, optionally of one year or month, each with its stories' headlines prefetched."""
    digests = Digest.objects.only("id", "date", "title", "newsletter").prefetch_related(
        Prefetch(
            "stories",
            # Ordered by position alone: Story's default order (digest, position) would join the digest again.
            queryset=Story.objects.only("id", "digest_id", "position", "headline", "slug").order_by("position"),
        )
    )
    if year is not None:
        digests = digests.filter(date__year=year)
    if month is not None:
        digests = digests.filter(date__month=month)
    return digests


def neighbour_digests(digest: Digest) -> tuple[Digest | None, Digest | None]:
    """The digests just before and just after this one by date (the id orders digests of one day)."""
    fields = ("id", "date", "title")
    earlier = Q(date__lt=digest.date) | Q(date=digest.date, id__lt=digest.id)
    later = Q(date__gt=digest.date) | Q(date=digest.date, id__gt=digest.id)
    previous = Digest.objects.filter(earlier).only(*fields).order_by("-date", "-id").first()
    following = Digest.objects.filter(later).only(*fields).order_by("date", "id").first()
    return previous, following


@dataclass
class StoryNeighbours:
    """Where a story sits in its digest: the stories either side, its number and the digest's count."""

    previous: Story | None
    next: Story | None
    number: int
    total: int


def neighbour_stories(story: Story) -> StoryNeighbours:
    """The stories before and after this one in its digest, from one query."""
    siblings = list(
        Story.objects.filter(digest_id=story.digest_id).only("id", "slug", "headline", "position").order_by("position")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == story.pk)
    return StoryNeighbours(
        previous=siblings[index - 1] if index > 0 else None,
        next=siblings[index + 1] if index + 1 < len(siblings) else None,
        number=index + 1,
        total=len(siblings),
    )


def entity_groups(stories) -> dict[int, list[EntityGroup]]:
    """Each story's entities by kind (places, actors, sources), most mentioned first, from one query."""
    mentions = (
        Mention.objects.filter(story__in=stories)
        .select_related("entity")
        .only("story_id", "count", "entity__kind", "entity__name", "entity__actor_type", "entity__slug")
        .order_by("-count", "entity__name")
    )
    chips: dict[int, dict[str, list[EntityChip]]] = defaultdict(lambda: {kind: [] for kind in KIND_HEADINGS})
    for mention in mentions:
        entity = mention.entity
        chips[mention.story_id][entity.kind].append(
            EntityChip(entity.kind, entity.name, ACTOR_TYPE_LABELS.get(entity.actor_type, ""), entity.get_absolute_url())
        )
    return {
        story_id: [EntityGroup(kind, heading, by_kind[kind]) for kind, heading in KIND_HEADINGS.items() if by_kind[kind]]
        for story_id, by_kind in chips.items()
    }


def story_entities(story: Story) -> list[EntityGroup]:
    """One story's entities by kind, most mentioned first."""
    return entity_groups([story.pk]).get(story.pk, [])


def entity_pages(pairs) -> dict[tuple[str, str], str]:
    """The entity page of each (kind, name) that names an entity, from one query."""
    names = defaultdict(set)
    for kind, name in pairs:
        names[kind].add(name)
    if not names:
        return {}
    wanted = Q()
    for kind, kind_names in names.items():
        wanted |= Q(kind=kind, name__in=kind_names)
    rows = Entity.objects.filter(wanted).only("id", "kind", "name", "slug")
    return {(entity.kind, entity.name): entity.get_absolute_url() for entity in rows}
