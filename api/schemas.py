"""What each JSON endpoint answers, as pydantic models: django-ninja writes the OpenAPI description from them.

Every model forbids keys it does not name, so the description is exact ("additionalProperties":
false) and a key added to a payload without its schema fails the contract tests and schemathesis.
"""
import datetime

from pydantic import BaseModel, ConfigDict, Field


class Exact(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ErrorBody(Exact):
    error: str = Field(description="Why the request was not answered, in words meant for a person.")


class SimilarStory(Exact):
    id: int
    url: str
    headline: str
    digest_date: datetime.date


class SearchHit(Exact):
    id: int
    url: str = Field(description="The story's page on this site.")
    headline: str = Field(description="Plain text: escape it wherever it goes into HTML.")
    digest_date: datetime.date
    snippet: str = Field(description="HTML: the story's text escaped, with the matched words in <mark>.")
    places: list[str]
    actors: list[str]
    sources: list[str]
    similar: list[SimilarStory] = Field(None, description=(
        "With fold=1 only: this page's other stories of the same event, folded under this one."))


class FacetValue(Exact):
    value: str
    count: int = Field(ge=0, description="Stories of this search that mention the value.")
    selected: bool
    excluded: bool


class ActorFacetValue(FacetValue):
    type: str = Field(description="The actor's type: Person, Armed group, Organization, …")


class MonthValue(Exact):
    value: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    count: int = Field(ge=0)
    selected: bool


class Facets(Exact):
    place: list[FacetValue]
    actor: list[ActorFacetValue]
    source: list[FacetValue]
    month: list[MonthValue]


class FacetList(Exact):
    values: int = Field(ge=0, description="How many values the facet lists.")
    truncated: bool = Field(description="More values have stories than the facet lists.")


class FacetLists(Exact):
    place: FacetList
    actor: FacetList
    source: FacetList


class SearchAnswer(Exact):
    query: str
    sort: str
    date_from: datetime.date | None = Field(alias="from")
    date_to: datetime.date | None = Field(alias="to")
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    pages: int = Field(ge=0)
    fold: bool = Field(description="Whether near-duplicate stories on the page are folded (fold=1).")
    results: list[SearchHit]
    facets: Facets
    facet_lists: FacetLists
    suggestion: str | None = Field(description="A spelling the index knows, when the query's words are rare.")


# gunicorn answers an address longer than its request line limit (4,094 bytes) itself, in HTML.
URI_TOO_LONG = 414


def answers(model, *, refusals=(400, 401, 403, 503)) -> dict:
    """An operation's `response=`: `model` for 200, ErrorBody for each refusal it can give.

    400 the request cannot be answered as given; 401 no login or a wrong token; 403 an account
    outside the Analysts group; 503 the search engine or database could not answer; 414 (no
    body described) an address too long for the server.
    """
    return {200: model, **{status: ErrorBody for status in refusals}, URI_TOO_LONG: None}


# /api/entities/ and /api/entities/<id>/ (api/entities.py).

class EntitySummary(Exact):
    id: int
    kind: str = Field(pattern="^(place|actor|source)$")
    name: str
    type: str | None = Field(description="An actor's type; null for places and sources.")
    stories: int = Field(ge=0, description="Equals the total of /api/search/?<kind>=<name>.")
    url: str = Field(description="The entity's page on this site.")


class EntityPage(Exact):
    total: int = Field(ge=0)
    page: int = Field(ge=1)
    pages: int = Field(ge=0)
    results: list[EntitySummary]


class MonthCount(Exact):
    month: str = Field(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM")
    count: int = Field(ge=0)


class CoOccurring(Exact):
    id: int
    name: str
    count: int = Field(ge=0, description="Equals the total of the search for both values together.")


class CoOccurrences(Exact):
    place: list[CoOccurring]
    actor: list[CoOccurring]
    source: list[CoOccurring]


class EntityDetail(EntitySummary):
    aliases: list[str]
    first_seen: datetime.date | None = Field(description="The first digest date that mentions it; null without stories.")
    last_seen: datetime.date | None
    timeline: list[MonthCount] = Field(description="Stories per month; the counts sum to `stories`.")
    co_occurring: CoOccurrences
