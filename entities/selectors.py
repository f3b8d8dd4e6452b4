"""Reads for the entity pages and the entity JSON.

Every count is the search engine's, from the very search the page links to: an entity's story count
is the total of the search for it, its timeline that search's month facet, a co-occurrence count the
facet count of the other value in it, which is the total of the search for both values together.
So the pages and the JSON agree with search by construction, whichever engine SEARCH_URL selects,
and cost one faceted search (plus a one-hit search for the first date) however many stories there are.
The JSON payloads are plain dicts (`as_json`), the shapes the API documents.
"""
import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Q

from digest.models import Entity
from search import query
from search.results import Hit, SearchParams
from search.templatetags.search_links import entities_search_url

from .maps.world import MapPlace
from .params import KINDS, EntityListParams, EntityParamsError
from .timeline import Month, month_series

LATEST_STORIES = 10
CO_OCCURRING = 10
KIND_LABELS = {Entity.PLACE: "Place", Entity.ACTOR: "Actor", Entity.SOURCE: "Source"}
ACTOR_TYPE_LABELS = dict(Entity.ACTOR_TYPES)


# ---------------------------------------------------------------- the index

@dataclass
class EntityRow:
    id: int
    kind: str
    name: str
    slug: str
    actor_type: str
    stories: int

    @property
    def url(self) -> str:
        return Entity(pk=self.id, slug=self.slug).get_absolute_url()

    @property
    def type_label(self) -> str:
        return ACTOR_TYPE_LABELS.get(self.actor_type, "")

    def as_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "name": self.name, "type": self.actor_type or None,
                "stories": self.stories, "url": self.url}


@dataclass
class EntityList:
    params: EntityListParams
    total: int
    pages: int
    rows: list[EntityRow]

    def as_json(self) -> dict:
        return {"total": self.total, "page": self.params.page, "pages": self.pages,
                "results": [row.as_json() for row in self.rows]}


def entity_list(params: EntityListParams) -> EntityList:
    """The entities that stories mention, of one kind or all, filtered by name or alias, sorted, one page.

    An entity no story mentions is left out: the index is of what the archive holds, not of the
    curated tables. Raises EntityParamsError for a page past the last.
    """
    kinds = [params.kind] if params.kind else list(KINDS)
    counts = {kind: query.value_counts(kind) for kind in kinds}
    entities = Entity.objects.filter(kind__in=kinds).order_by()
    if params.q:
        matching = Entity.objects.filter(Q(name__icontains=params.q) | Q(aliases__name__icontains=params.q))
        entities = entities.filter(pk__in=matching.values("pk"))
    rows = [EntityRow(pk, kind, name, slug, actor_type, counts[kind].get(name, 0))
            for pk, kind, name, slug, actor_type in entities.values_list("pk", "kind", "name", "slug", "actor_type")]
    rows = [row for row in rows if row.stories]
    if params.sort == "name":
        rows.sort(key=lambda row: (row.name.casefold(), row.kind))
    else:
        rows.sort(key=lambda row: (-row.stories, row.name.casefold(), row.kind))
    pages = math.ceil(len(rows) / params.per_page)
    if params.page > max(pages, 1):
        raise EntityParamsError(f"Page {params.page} is past the last page of this list ({max(pages, 1)}).")
    start = (params.page - 1) * params.per_page
    return EntityList(params, len(rows), pages, rows[start:start + params.per_page])


# ---------------------------------------------------------------- one entity

@dataclass
class CoOccurring:
    id: int
    kind: str
    name: str
    count: int
    url: str  # its entity page
    search_url: str  # the stories that mention both


@dataclass
class EntityProfile:
    entity: Entity
    stories: int
    first_seen: datetime.date | None
    last_seen: datetime.date | None
    timeline: list[Month]
    co_occurring: dict[str, list[CoOccurring]]
    latest: list[Hit]
    search_url: str  # every story that mentions it
    places: list[MapPlace] = field(default_factory=list)  # for a place: it and the places it occurs with

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.entity.kind]

    @property
    def type_label(self) -> str:
        return ACTOR_TYPE_LABELS.get(self.entity.actor_type, "")

    @property
    def aliases(self) -> list[str]:
        return [alias.name for alias in self.entity.aliases.all()]

    def as_json(self) -> dict:
        entity = self.entity
        return {
            "id": entity.pk,
            "kind": entity.kind,
            "name": entity.name,
            "type": entity.actor_type or None,
            "aliases": self.aliases,
            "stories": self.stories,
            "first_seen": self.first_seen.isoformat() if self.first_seen else None,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "timeline": [{"month": month.value, "count": month.count} for month in self.timeline],
            "co_occurring": {kind: [{"id": c.id, "name": c.name, "count": c.count} for c in items]
                             for kind, items in self.co_occurring.items()},
            "url": entity.get_absolute_url(),
        }


def entity_profile(entity: Entity, latest: int = LATEST_STORIES) -> EntityProfile:
    """Everything an entity's page shows, from the search for it. Raises search.contract.EngineUnavailable."""
    params = SearchParams(sort="newest", per_page=max(latest, 1), **{entity.kind: [entity.name]})
    result = query.search(params)
    first_seen = query.earliest_date(params) if result.total else None
    others = {kind: [v for v in result.facets[kind] if not v.selected] for kind in KINDS}
    top = {kind: values[:CO_OCCURRING] for kind, values in others.items()}
    map_names = [v.value for v in result.facets[Entity.PLACE]] if entity.kind == Entity.PLACE else []
    rows = _entities({kind: [v.value for v in values] for kind, values in top.items()}, map_names)
    co_occurring = {
        kind: [CoOccurring(rows[kind, v.value].pk, kind, v.value, v.count, rows[kind, v.value].get_absolute_url(),
                           entities_search_url((entity.kind, entity.name), (kind, v.value)))
               for v in values if (kind, v.value) in rows]
        for kind, values in top.items()
    }
    own_url = entities_search_url((entity.kind, entity.name))
    places = []
    if entity.kind == Entity.PLACE:
        places = [MapPlace(entity.name, result.total, entity.latitude, entity.longitude, own_url, current=True)]
        places += [MapPlace(v.value, v.count, rows[Entity.PLACE, v.value].latitude,
                            rows[Entity.PLACE, v.value].longitude,
                            entities_search_url((entity.kind, entity.name), (Entity.PLACE, v.value)))
                   for v in others[Entity.PLACE] if (Entity.PLACE, v.value) in rows]
    return EntityProfile(
        entity=entity,
        stories=result.total,
        first_seen=first_seen,
        last_seen=result.hits[0].digest_date if result.hits else None,
        timeline=month_series([(v.value, v.count) for v in result.facets["month"]]),
        co_occurring=co_occurring,
        latest=result.hits[:latest],
        search_url=own_url,
        places=places,
    )


def _entities(names: dict[str, list[str]], place_names: list[str]) -> dict[tuple[str, str], Entity]:
    """The Entity rows of these names per kind (and these places, with coordinates), in one query."""
    names = dict(names)
    names[Entity.PLACE] = list(dict.fromkeys(names.get(Entity.PLACE, []) + place_names))
    wanted = Q(pk__in=[])
    for kind, kind_names in names.items():
        if kind_names:
            wanted |= Q(kind=kind, name__in=kind_names)
    rows = Entity.objects.filter(wanted).only("id", "kind", "name", "slug", "latitude", "longitude")
    return {(e.kind, e.name): e for e in rows}


def entity_detail(entity_id: int) -> dict | None:
    """GET /api/entities/<id>/: the entity's profile as JSON, or None when no entity has this id."""
    entity = entity_by_id(entity_id)
    return entity_profile(entity, latest=1).as_json() if entity else None


def entity_by_id(entity_id: int) -> Entity | None:
    return Entity.objects.filter(pk=entity_id).prefetch_related("aliases").first()


def entity_index(params: EntityListParams) -> dict:
    """GET /api/entities/: one page of the index as JSON."""
    return entity_list(params).as_json()
