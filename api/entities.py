"""GET /api/entities/ and /api/entities/<id>/: the entity index and one entity's profile as JSON
(entities.views), described for OpenAPI."""
from typing import Literal

from ninja import Path, Router
from pydantic import BaseModel, Field

from entities.params import KINDS, MAX_FILTER_CHARS, MAX_PAGE, SORTS
from entities.views import entity_api, entity_index_api

from .parameters import PLAIN_TEXT, query_parameters
from .schemas import EntityDetail, EntityPage, answers

router = Router(tags=["entities"])
MOVED_PERMANENTLY = 301


class EntityQuery(BaseModel):
    kind: Literal[(*KINDS, "")] = Field("", description="place, actor or source; empty lists every kind.")
    q: str = Field("", max_length=MAX_FILTER_CHARS, pattern=PLAIN_TEXT,
                   description="Only entities whose name or an alias contains these words.")
    sort: Literal[(*SORTS, "")] = Field("", description="stories (the most first, the default) or name.")
    page: int | Literal[""] = Field(1, ge=1, le=MAX_PAGE, description="Counted from 1.")


@router.get(
    "/entities/",
    url_name="entities",
    summary="Places, actors and sources the stories mention",
    description="Each with its number of stories, which equals the total of its own search.",
    response=answers(EntityPage, refusals=(400, 401, 403, 503)),
    openapi_extra=query_parameters(EntityQuery),
)
def entities(request):
    return entity_index_api(request)


@router.get(
    "/entities/{int:entity_id}/",
    url_name="entity",
    summary="One entity: aliases, stories per month, what it occurs with",
    description=(
        "Every count agrees with search: `stories` with the entity's own search, the timeline sums to it, "
        "and a co-occurrence count is the total of the search for both values together. The id of an "
        "entity a curator merged into another answers 301, with that one's address in `Location`."
    ),
    response={**answers(EntityDetail, refusals=(401, 403, 404, 503)), MOVED_PERMANENTLY: None},
)
def entity(request, entity_id: int = Path(..., ge=0, description="The entity's id, as /api/entities/ lists it.")):
    return entity_api(request, entity_id)
