"""GET /api/entities/ and /api/entities/<id>/: the documented shapes, exact values on the fixture archive, 400s and 404s."""
from collections import Counter

import pytest
from haystack import connections

from archives import fixture_stories, load_archive
from digest.models import Alias, Entity
from search.contract import EngineUnavailable

STORIES = fixture_stories(load_archive())


def get_json(client, url, status=200):
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    assert response.status_code == status, response.content
    return response.json()


def test_the_entity_json_has_exactly_the_documented_shape_and_values(client, search_archive):
    aleppo = Entity.objects.get(kind="place", name="Aleppo")
    Alias.objects.create(entity=aleppo, name="Halab")
    data = get_json(client, f"/api/entities/{aleppo.pk}/")
    having = [s for s in STORIES if "Aleppo" in s["mentions"]["place"]]
    months = Counter(s["date"][:7] for s in having)
    assert list(data) == ["id", "kind", "name", "type", "aliases", "stories", "first_seen", "last_seen", "timeline",
                          "co_occurring", "url"]
    assert {k: data[k] for k in ("id", "kind", "name", "type", "aliases", "stories", "first_seen", "last_seen", "url")} == {
        "id": aleppo.pk, "kind": "place", "name": "Aleppo", "type": None, "aliases": ["Halab"],
        "stories": len(having), "first_seen": min(s["date"] for s in having),
        "last_seen": max(s["date"] for s in having), "url": aleppo.get_absolute_url(),
    }
    # Every month from the first to the last, those without stories at 0.
    assert data["timeline"] == [{"month": "2014-11", "count": months["2014-11"]},
                                {"month": "2014-12", "count": months["2014-12"]},
                                {"month": "2015-01", "count": 0},
                                {"month": "2015-02", "count": months["2015-02"]}]
    assert list(data["co_occurring"]) == ["place", "actor", "source"]
    for kind, items in data["co_occurring"].items():
        together = Counter(n for s in having for n in s["mentions"][kind] if n != "Aleppo")
        assert [i["count"] for i in items] == sorted(together.values(), reverse=True)[:10]
        for item in items:
            assert list(item) == ["id", "name", "count"]
            assert item["id"] == Entity.objects.get(kind=kind, name=item["name"]).pk
            assert item["count"] == together[item["name"]]


def test_an_actor_carries_its_type(client, search_archive):
    actor = Entity.objects.filter(kind="actor").exclude(actor_type="").first()
    if actor is None:
        pytest.skip("the fixture has no typed actor")
    assert get_json(client, f"/api/entities/{actor.pk}/")["type"] == actor.actor_type


def test_an_unknown_id_is_404_json(client, search_archive):
    assert get_json(client, "/api/entities/999999/", 404) == {"error": "No place, actor or source has this id."}


def test_the_index_json_lists_a_kind_by_stories(client, search_archive):
    data = get_json(client, "/api/entities/?kind=source")
    counts = Counter(n for s in STORIES for n in s["mentions"]["source"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    assert (data["total"], data["page"], data["pages"]) == (len(ranked), 1, 1)
    assert [(r["name"], r["stories"]) for r in data["results"]] == ranked
    first = data["results"][0]
    entity = Entity.objects.get(kind="source", name=first["name"])
    assert first == {"id": entity.pk, "kind": "source", "name": entity.name, "type": None, "stories": ranked[0][1],
                     "url": entity.get_absolute_url()}


def test_the_index_json_filters_sorts_and_pages(client, search_archive, monkeypatch):
    all_kinds = get_json(client, "/api/entities/?sort=name")
    names = [r["name"].casefold() for r in all_kinds["results"]]
    assert names == sorted(names)
    assert {r["kind"] for r in all_kinds["results"]} == {"place", "actor", "source"}
    assert [r["name"] for r in get_json(client, "/api/entities/?q=aleP")["results"]] == ["Aleppo"]
    monkeypatch.setattr("entities.params.PER_PAGE", 3)
    second = get_json(client, "/api/entities/?kind=place&page=2")
    counts = Counter(n for s in STORIES for n in s["mentions"]["place"])
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    assert (second["total"], second["page"], second["pages"]) == (len(ranked), 2, -(-len(ranked) // 3))
    assert [(r["name"], r["stories"]) for r in second["results"]] == ranked[3:6]


def test_an_empty_index_has_no_pages(client, db):
    connections["default"].get_backend().clear()
    assert get_json(client, "/api/entities/") == {"total": 0, "page": 1, "pages": 0, "results": []}


@pytest.mark.parametrize("query, message", [
    ("kind=people", "“people” is not a kind of entity; use one of: place, actor, source."),
    ("sort=count", "“count” is not a sort order; use one of: stories, name."),
    ("page=x", "“x” is not a page number; pages are counted from 1."),
    ("page=-1", "“-1” is not a page number; pages are counted from 1."),
    ("page=99999999", "Page 99999999 is too far; at most 10,000 pages can be shown."),
    ("page=40", "Page 40 is past the last page of this list (1)."),
    ("q=" + "a" * 201, "The name filter is 201 characters long; the limit is 200."),
    ("q=%FF", "The name filter contains characters that are not text."),
])
def test_bad_parameters_get_400_with_a_message(client, search_archive, query, message):
    assert get_json(client, f"/api/entities/?{query}", 400) == {"error": message}


def test_an_engine_failure_is_503_not_500(client, search_archive, monkeypatch):
    def fail(*args, **kwargs):
        raise EngineUnavailable()

    monkeypatch.setattr("search.query.search", fail)
    monkeypatch.setattr("search.query.value_counts", fail)
    aleppo = Entity.objects.get(kind="place", name="Aleppo")
    assert get_json(client, f"/api/entities/{aleppo.pk}/", 503)["error"].startswith("The search engine could not")
    assert get_json(client, "/api/entities/", 503)["error"].startswith("The search engine could not")
    assert client.get(aleppo.get_absolute_url()).status_code == 503
    assert client.get("/entities/").status_code == 503


@pytest.mark.private
def test_a_private_archive_asks_for_a_login_or_token(client, search_archive):
    assert get_json(client, "/api/entities/", 401)["error"].startswith("This archive is private")
    aleppo = Entity.objects.get(kind="place", name="Aleppo")
    assert get_json(client, f"/api/entities/{aleppo.pk}/", 401)["error"].startswith("This archive is private")
    assert client.get(aleppo.get_absolute_url()).status_code == 302
    assert client.get("/entities/").status_code == 302
