"""bench/load.py's mix on a real archive: every kind of request it sends is answered as it expects,
and an answer it would count as an error is one."""
import importlib.util
import random
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.private]
spec = importlib.util.spec_from_file_location("bench_load", Path(__file__).resolve().parent.parent / "bench" / "load.py")
load = importlib.util.module_from_spec(spec)
spec.loader.exec_module(load)


@pytest.fixture
def sample(search_archive, roles):
    return load.draw_sample(users=2, seed=3)


def ask(client, sample, path, params):
    address = f"{path}?{urlencode(params)}" if params else path
    if path.startswith(load.API_PREFIX):
        return client.get(address, HTTP_AUTHORIZATION=f"Token {sample['token']}")
    client.cookies["sessionid"] = sample["sessions"][0]
    return client.get(address)


def test_the_sample_comes_from_the_archive(sample, search_archive):
    assert len(sample["sessions"]) == 2 and sample["token"]
    assert {url for url, _ in sample["stories"]} == {s.get_absolute_url() for s in search_archive.values()}
    assert sample["facets"]["place"] and sample["facets"]["actor"] and sample["facets"]["source"]
    assert all(len(w) > 3 for w in sample["words"])


@pytest.mark.parametrize("kind", [name for name, (_, on, _) in load.MIX.items() if on])
def test_every_kind_that_is_on_is_answered_as_the_load_expects(client, sample, kind):
    rng = random.Random(kind)
    for _ in range(5):
        path, params, expected = load.MIX[kind][2](rng, sample)
        response = ask(client, sample, path, params)
        assert response.status_code == 200, (path, params)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert expected in body.decode()


def test_an_answer_without_what_the_kind_promises_is_not_taken_for_one(client, sample):
    path, params, expected = load.MIX["story page"][2](random.Random(1), sample)
    other = next(headline for url, headline in sample["stories"] if url != path)
    assert f"<h1>{other}" not in ask(client, sample, path, params).content.decode()
    response = Client().get("/search/", {"q": "Aleppo"})  # no session: the private archive's login page
    assert response.status_code == 302
