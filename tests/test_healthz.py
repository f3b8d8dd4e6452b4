"""GET /healthz: the database and the search engine, "ok" or 503 naming the part that is down."""
import pytest
from django.db.utils import OperationalError

from archive import health

pytestmark = [pytest.mark.django_db, pytest.mark.private]


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "search": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_a_part_that_is_down_is_named_with_503(client, monkeypatch):
    def broken():
        raise OSError("connection refused")

    monkeypatch.setitem(health.CHECKS, "search", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "search": "down"}


def test_a_database_that_does_not_answer(client, monkeypatch):
    def broken():
        raise OperationalError("could not connect to server")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "search": "ok"}


def test_the_health_check_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/search/").status_code == 301
