"""The JSON API's contract: /api/openapi.json describes every endpoint, and real answers match it exactly."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from haystack import connections
from pydantic import ValidationError

from accounts.roles import ANALYSTS
from accounts.tokens import issue_token
from api.schemas import EntityDetail, EntityPage, ErrorBody, SearchAnswer
from search.results import FACETS, SORTS

OPENAPI = "/api/openapi.json"
DOCS = "/api/docs/"


@pytest.fixture
def description(client, db):
    response = client.get(OPENAPI)
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    return response.json()


def parameters(description):
    return {p["name"]: p for p in description["paths"]["/api/search/"]["get"]["parameters"]}


def test_the_description_is_openapi_3_and_names_every_answer_of_the_search(description):
    assert description["openapi"].startswith("3.")
    assert list(description["paths"]) == [
        "/api/search/", "/api/search/export.csv", "/api/entities/", "/api/entities/{entity_id}/"]
    responses = description["paths"]["/api/search/"]["get"]["responses"]
    assert sorted(responses) == ["200", "400", "401", "403", "414", "503"]
    assert "content" not in responses["414"]  # gunicorn's own refusal of an over-long address
    assert responses["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SearchAnswer"}
    for status in ("400", "401", "403", "503"):
        assert responses[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    answer = description["components"]["schemas"]["SearchAnswer"]
    assert answer["additionalProperties"] is False
    assert set(answer["properties"]) == {"query", "sort", "from", "to", "total", "page", "pages", "fold", "results",
                                         "facets", "facet_lists", "suggestion"}


def test_the_description_names_the_parameters_search_params_reads(description):
    named = parameters(description)
    assert set(named) == {"q", "from", "to", "sort", "page", "fold"} | set(FACETS) | {"not_" + f for f in FACETS}
    assert named["sort"]["schema"]["enum"] == [*SORTS, ""]
    empty = {"const": "", "type": "string"}  # the page's form sends its empty fields
    assert named["page"]["schema"] == {"anyOf": [{"maximum": 1000, "minimum": 1, "type": "integer"}, empty], "default": 1}
    assert named["from"]["schema"] == {"anyOf": [{"format": "date", "type": "string"}, empty]}
    # Empty and repeated values do not count toward the 20 (found by schemathesis): no maxItems.
    assert named["place"]["schema"]["type"] == "array" and "maxItems" not in named["place"]["schema"]
    assert "up to 20 different values" in named["place"]["description"]
    assert not any(p["required"] for p in named.values())


def test_the_description_says_how_to_authenticate(description):
    schemes = description["components"]["securitySchemes"]
    assert schemes["token"] == {"type": "apiKey", "in": "header", "name": "Authorization",
                                "description": schemes["token"]["description"]}
    assert "Token <key>" in schemes["token"]["description"]
    assert description["security"] == [{"token": []}, {"session": []}, {}]


@pytest.mark.parametrize("query", [
    "", "q=Aleppo", "q=Alepo", "place=Aleppo&actor=Staffan+de+Mistura", "not_place=Aleppo&sort=oldest", "page=2",
    "from=2014-12-01&to=2015-01-31", "place=Atlantis", "q=Raqqa&not_source=Reuters&sort=newest", "q=Raqqa&fold=1",
])
def test_real_answers_match_the_description_exactly(client, search_archive, query):
    response = client.get(f"/api/search/?{query}")
    assert response.status_code == 200
    SearchAnswer.model_validate(response.json())  # extra keys, missing keys or wrong types raise


def test_an_empty_archive_matches_the_description_too(client, db):
    connections["default"].get_backend().clear()
    SearchAnswer.model_validate(client.get("/api/search/?q=Aleppo").json())


@pytest.mark.parametrize("query, status", [("q=%22open", 400), ("page=3", 400), ("sort=random", 400)])
def test_refusals_match_the_error_body(client, search_archive, query, status):
    response = client.get(f"/api/search/?{query}")
    assert response.status_code == status
    assert ErrorBody.model_validate(response.json()).error


def test_the_search_keeps_its_address_and_json(client, search_archive):
    assert reverse("api:search") == "/api/search/"
    response = client.get("/api/search/?q=%D8%AD%D9%84%D8%A8")
    assert response["Content-Type"] == "application/json"
    assert b'"query": "\xd8\xad\xd9\x84\xd8\xa8"' in response.content  # not \u-escaped


@pytest.mark.private
def test_a_private_archive_describes_its_api_only_to_those_who_may_call_it(client, db, django_user_model, roles):
    anonymous = client.get(OPENAPI)
    assert (anonymous.status_code, anonymous["Content-Type"]) == (401, "application/json")
    assert "private" in anonymous.json()["error"]
    assert client.get(OPENAPI, HTTP_AUTHORIZATION="Token wrong").status_code == 401
    docs = client.get(DOCS)
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("accounts:login"))

    analyst = django_user_model.objects.create_user("ana", password="a long and private pass")
    analyst.groups.add(Group.objects.get(name=ANALYSTS))
    key = issue_token(analyst)
    assert client.get(OPENAPI, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(analyst)
    page = client.get(DOCS)
    assert page.status_code == 200
    assert b'id="swagger-ui"' in page.content and b"/static/ninja/swagger-ui-bundle.js" in page.content


def test_the_docs_page_keeps_the_sites_policy(client, db):
    """Swagger UI runs from django-ninja's static files: no inline script or style, no other origin."""
    response = client.get(DOCS)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == client.get(reverse("search:search"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";"))
    assert (directives["script-src"], directives["style-src"], directives["connect-src"]) == ("'self'",) * 3


ENTITY = {"id": 7, "kind": "place", "name": "Aleppo", "type": None, "stories": 3, "url": "/entities/7/"}


def test_the_entity_schemas_take_the_shapes_issue_13_states():
    EntityPage.model_validate({"total": 1, "page": 1, "pages": 1, "results": [ENTITY]})
    detail = EntityDetail.model_validate(ENTITY | {
        "aliases": ["Halab"], "first_seen": "2014-11-18", "last_seen": "2015-02-17",
        "timeline": [{"month": "2014-11", "count": 1}, {"month": "2015-02", "count": 2}],
        "co_occurring": {"place": [{"id": 9, "name": "Idlib", "count": 1}], "actor": [], "source": []},
    })
    assert sum(month.count for month in detail.timeline) == detail.stories
    with pytest.raises(ValidationError):
        EntityPage.model_validate({"total": 1, "page": 1, "pages": 1, "results": [ENTITY | {"slug": "aleppo"}]})
    with pytest.raises(ValidationError):
        EntityPage.model_validate({"total": 1, "page": 1, "pages": 1, "results": [ENTITY | {"kind": "person"}]})


def test_the_export_and_the_entity_endpoints_are_described(description):
    export = description["paths"]["/api/search/export.csv"]["get"]
    assert list(export["responses"]["200"]["content"]) == ["text/csv"]
    assert {p["name"] for p in export["parameters"]} == set(parameters(description))
    listing = description["paths"]["/api/entities/"]["get"]
    assert [p["name"] for p in listing["parameters"]] == ["kind", "q", "sort", "page"]
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/EntityPage"}
    one = description["paths"]["/api/entities/{entity_id}/"]["get"]
    assert sorted(one["responses"]) == ["200", "301", "401", "403", "404", "414", "503"]  # 301: a merged id
    assert one["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/EntityDetail"}


def test_real_entity_answers_match_the_description_exactly(client, search_archive):
    from api.schemas import EntityDetail, EntityPage

    listing = client.get("/api/entities/?kind=place").json()
    EntityPage.model_validate(listing)
    for entity in listing["results"][:3]:
        EntityDetail.model_validate(client.get(f"/api/entities/{entity['id']}/").json())
    missing = client.get("/api/entities/999999999/")
    assert missing.status_code == 404 and list(missing.json()) == ["error"]
