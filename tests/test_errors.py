"""archive.errors: a database that does not answer is a 503 with a page or JSON, never a 500 traceback.

On SQLite the outage is simulated where it strikes: every statement fails as a database that is
gone fails it (django.db's OperationalError and InterfaceError), including the session and token
lookups middleware makes before any view runs. tests/test_database_outage.py stops a real
PostgreSQL server instead.
"""
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db import InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.roles import ANALYSTS
from accounts.tokens import issue_token
from archive.errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS

pytestmark = [pytest.mark.django_db, pytest.mark.private]


@contextmanager
def database_failing(error):
    def execute(run, sql, params, many, context):
        raise error

    with connection.execute_wrapper(execute):
        yield


@pytest.fixture
def analyst(django_user_model):
    user = django_user_model.objects.create_user("ana", password="a long and private pass")
    user.groups.add(Group.objects.get(name=ANALYSTS))
    return user


@pytest.fixture
def browser(analyst):
    """A logged-in analyst's client that answers as the server does instead of raising the view's error."""
    client = Client(raise_request_exception=False)
    client.force_login(analyst)
    return client


@pytest.mark.parametrize("error", [OperationalError("could not connect to server: Connection refused"),
                                   InterfaceError("connection already closed")], ids=["operational", "interface"])
def test_pages_answer_503_with_a_page_while_the_database_is_gone(browser, error):
    with database_failing(error):
        response = browser.get(reverse("digest:home"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "The archive is briefly unavailable" in page and escape(DATABASE_UNAVAILABLE) in page
    assert str(error) not in page and "Traceback" not in page

    assert browser.get(reverse("digest:home")).status_code == 200  # the database is back


def test_the_api_answers_503_in_json_while_the_database_is_gone(analyst):
    key = issue_token(analyst)
    client = Client(raise_request_exception=False)
    with database_failing(OperationalError("could not connect to server: Connection refused")):
        response = client.get(reverse("api:search"), {"q": "Aleppo"}, HTTP_AUTHORIZATION=f"Token {key}")
    assert (response.status_code, response.json()) == (503, {"error": DATABASE_UNAVAILABLE})
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)


def test_healthz_names_the_database_as_down():
    client = Client(raise_request_exception=False)
    with database_failing(OperationalError("could not connect to server: Connection refused")):
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"database": "down", "search": "ok"})


def test_any_other_failure_is_still_the_500_page(browser):
    with database_failing(ProgrammingError("relation does not exist")):
        response = browser.get(reverse("digest:home"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_an_api_address_that_names_nothing_answers_json_and_a_page_address_the_404_page(client):
    for path in ("/api/nothing/", "/api/entities/null,null/"):
        response = client.get(path)
        assert (response.status_code, response["Content-Type"]) == (404, "application/json")
        assert response.json() == {"error": "The API has no such address; /api/docs/ lists what it answers."}
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
