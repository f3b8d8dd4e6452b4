"""A worker keeps its database connection from one request to the next (CONN_MAX_AGE, CONN_HEALTH_CHECKS)."""
import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connections
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def serve(path):
    """One request through the WSGI handler, as gunicorn calls it (with Django's request signals)."""
    environ = RequestFactory().get(path).environ
    environ["wsgi.input"] = io.BytesIO()
    statuses = []
    body = b"".join(WSGIHandler()(environ, lambda status, headers: statuses.append(status)))
    return statuses[0], body


def test_two_requests_use_one_database_connection():
    assert serve("/healthz")[0].startswith("200")
    first = connections["default"].connection
    assert first is not None
    assert serve("/healthz")[0].startswith("200")
    assert connections["default"].connection is first


def test_a_connection_that_stopped_answering_is_replaced_before_the_next_request(monkeypatch):
    serve("/healthz")
    first = connections["default"].connection
    monkeypatch.setattr(type(connections["default"]), "is_usable", lambda self: self.connection is not first)
    assert serve("/healthz") == ("200 OK", b'{"database": "ok", "search": "ok"}')
    assert connections["default"].connection is not None and connections["default"].connection is not first


def test_connections_are_kept_for_ten_minutes_and_checked_before_reuse(settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 600
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
