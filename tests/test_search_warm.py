"""search.warm: a gunicorn worker builds its search tables as it starts, before the first request."""
import runpy
from pathlib import Path

import pytest
from haystack import connections

from search import warm

pytestmark = pytest.mark.django_db
GUNICORN_CONF = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"


def test_warm_up_builds_the_view_and_every_spelling_table_that_requests_then_use(client, indexed_stories):
    backend = connections["default"].get_backend()
    backend.state.tables.clear()
    backend.state.view = None
    warm.warm_up()
    view = backend.state.view
    assert view is not None and view.searcher.up_to_date()
    assert view.live_count == len(indexed_stories)
    assert all(leaf.tables._spelling for leaf in view.leaves)
    response = client.get("/api/search/", {"q": "Alepo"})
    assert response.json()["suggestion"] == "aleppo"
    assert backend.state.view is view


def test_a_failing_engine_is_logged_not_raised(db, monkeypatch, caplog):
    def down(params):
        raise OSError("index unreadable")

    monkeypatch.setattr(warm, "search", down)
    warm.warm_up()
    assert "Warming the search engine failed" in caplog.text


def test_gunicorn_warms_each_worker_in_the_background_as_it_starts(monkeypatch):
    started = []
    monkeypatch.setattr(warm, "warm_up_in_background", lambda: started.append(True))
    config = runpy.run_path(str(GUNICORN_CONF))
    config["post_worker_init"](worker=None)
    assert started == [True]
