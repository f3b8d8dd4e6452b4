"""GET /api/search/: the search page as JSON (search.views.search_api), described for OpenAPI."""
import datetime
from typing import Annotated, Literal

from ninja import Router
from pydantic import BaseModel, Field, StringConstraints, create_model

from search.params import MAX_PAGE, MAX_QUERY_CHARS, MAX_VALUE_CHARS, MAX_VALUES_PER_FACET
from search.results import FACETS, SORTS
from search.views import export_csv, search_api

from .parameters import PLAIN_TEXT, query_parameters
from .schemas import SearchAnswer, answers

router = Router(tags=["search"])

# An empty value is no value: the search page's form sends its empty fields (from=&to=).
Empty = Literal[""]
FacetValueText = Annotated[str, StringConstraints(max_length=MAX_VALUE_CHARS, pattern=PLAIN_TEXT)]


def _facet_parameters() -> dict:
    fields = {}
    for facet in FACETS:
        for prefix, verb in (("", "Only stories that mention"), ("not_", "Leave out stories that mention")):
            # No maxItems: empty and repeated values are dropped before the limit is counted.
            fields[prefix + facet] = (list[FacetValueText], Field(default=[], description=(
                f"{verb} this {facet}: repeat the parameter for several, up to {MAX_VALUES_PER_FACET} different "
                "values; names as the facet lists them.")))
    return fields


SearchQuery = create_model(
    "SearchQuery",
    __base__=BaseModel,
    q=(str, Field("", max_length=MAX_QUERY_CHARS, pattern=PLAIN_TEXT, description=(
        "Words, \"phrases\", AND, OR, NOT, brackets, a trailing * and headline:word. "
        "Empty browses every story."))),
    **_facet_parameters(),
    date_from=(datetime.date | Empty, Field(None, alias="from", description="Stories of digests from this day on.")),
    date_to=(datetime.date | Empty, Field(None, alias="to", description="Stories of digests up to this day.")),
    sort=(Literal[(*SORTS, "")], Field(None, description="relevance (the default with a query) or newest first "
                                                         "(the default without one), or oldest first.")),
    page=(Annotated[int, Field(ge=1, le=MAX_PAGE)] | Empty,
          Field(1, description="20 stories a page; past the last page is a 400.")),
    fold=(Literal["0", "1", ""], Field("", description=(
        "1 folds the page's stories of the same event (near-duplicates) under the first of them."))),
)


@router.get(
    "/search/",
    url_name="search",
    by_alias=True,  # the answer says "from" and "to"
    summary="Search the stories",
    description=(
        "Answers what the search page shows for the same query string: the stories of one page, "
        "each facet's values with their counts, and a spelling suggestion. A query the archive "
        "cannot search (its syntax, a date range that ends before it starts, a page past the last) "
        "gets 400 and the reason."
    ),
    response=answers(SearchAnswer),
    openapi_extra=query_parameters(SearchQuery),
)
def search(request):
    return search_api(request)


@router.get(
    "/search/export.csv",
    url_name="export",
    summary="Every story a search finds, as CSV",
    description=(
        "Takes the search's own query string (page and fold are ignored) and streams every match in the "
        "search's order: id, url, digest_date, headline, places, actors, sources, snippet; lists joined "
        "by \"; \"; cells that a spreadsheet would read as a formula start with an apostrophe."
    ),
    response=answers(None),
    openapi_extra={
        **query_parameters(SearchQuery),
        "responses": {200: {"description": "CSV, UTF-8 with a byte-order mark",
                            "content": {"text/csv": {"schema": {"type": "string"}}}}},
    },
)
def export(request):
    return export_csv(request)
