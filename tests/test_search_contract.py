"""search.contract on every engine: a refusal is a 400 with its own message; an engine that fails
is a 503 with ours, and its own words (hosts, ports, paths, tracebacks) reach the log only.

The failures are real, not patched: a Whoosh index whose directory is gone from under the open
searcher, and a Solr URL where nothing listens.
"""
import shutil
import socket

import pytest
from search_engines import WHOOSH_ENGINE, search_engine

from search.contract import (
    ENGINE_UNAVAILABLE, LEADING_WILDCARD, QueryNotSearchable, check_query_wildcards, lucene_operators,
)
from search.indexing import update_stories
from search.results import SearchError

SOLR_ENGINE = "search.solr_backend.ArchiveSolrEngine"


def answers(client, query):
    """The API's and the page's answers to the same query string."""
    return client.get(f"/api/search/?{query}"), client.get(f"/search/?{query}")


def assert_engine_unavailable(api, page, *hidden):
    assert api.status_code == 503
    assert api.json() == {"error": ENGINE_UNAVAILABLE}
    assert page.status_code == 503
    text = page.content.decode()
    assert ENGINE_UNAVAILABLE in text
    for secret in (*hidden, "Traceback", "Error"):
        assert secret not in text
        assert secret not in api.content.decode()


def nothing_listens() -> int:
    """A local port that was free a moment ago and has no listener."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=Aleppo", "", "q=Aleppo&place=Raqqa&sort=newest"])
def test_a_solr_where_nothing_listens_is_a_503_with_our_message(client, caplog, query):
    port = nothing_listens()
    config = {"ENGINE": SOLR_ENGINE, "URL": f"http://127.0.0.1:{port}/solr/archive", "TIMEOUT": 5}
    with search_engine(config):
        api, page = answers(client, query)
    assert_engine_unavailable(api, page, str(port), "127.0.0.1", "solr/archive")
    assert f"127.0.0.1:{port}" in caplog.text  # the engine's words are for the log


@pytest.mark.django_db
def test_a_whoosh_index_made_unreadable_is_a_503_with_our_message(client, search_archive, tmp_path, caplog):
    path = tmp_path / "index"
    with search_engine({"ENGINE": WHOOSH_ENGINE, "PATH": str(path)}):
        update_stories([story.pk for story in search_archive.values()])
        assert client.get("/api/search/?q=Aleppo").status_code == 200
        shutil.rmtree(path)
        path.write_text("not an index")  # the open searcher's directory is now a file
        api, page = answers(client, "q=Aleppo")
    assert_engine_unavailable(api, page, str(tmp_path))
    assert 'value="Aleppo"' in page.content.decode()  # the form keeps what the person typed
    assert str(path) in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize("query, message", [
    ("q=%2Appo", "“*ppo”: put at least 2 letters before a wildcard, as in Al*; it cannot start a word."),
    ("q=the+and+of", "The query has no searchable words (only very common words or punctuation)."),
    ("q=" + "+".join(f"w{i}" for i in range(70)), "The query has more than 64 terms; please shorten it."),
    ("q=fingerprint%3Aabc", "“fingerprint:” cannot be searched; use words, \"phrases\" or headline:."),
])
def test_a_refusal_is_a_400_with_its_own_message(client, search_archive, query, message):
    api, page = answers(client, query)
    assert (api.status_code, api.json()) == (400, {"error": message})
    assert page.status_code == 400


def test_a_refusal_is_a_search_error_and_a_haystack_backend_error():
    from haystack.exceptions import SearchBackendError

    assert issubclass(QueryNotSearchable, SearchError)
    assert issubclass(QueryNotSearchable, SearchBackendError)


@pytest.mark.parametrize("query", ["*ppo", "headline:?aqqa", "(Kobani OR ?x)", "A*"])
def test_engines_refuse_a_leading_wildcard_with_the_contracts_message(query):
    with pytest.raises(QueryNotSearchable) as refused:
        check_query_wildcards(query)
    word = query.strip("()").split()[-1].split(":")[-1]
    assert str(refused.value) == LEADING_WILDCARD.format(word=word, letters=2)


def test_a_wildcard_inside_a_phrase_is_no_wildcard():
    check_query_wildcards('"* AND ?" Aleppo Al*')


@pytest.mark.parametrize("query, lucene", [
    ("Aleppo ANDNOT Idlib", "Aleppo AND NOT Idlib"),
    ('"Aleppo ANDNOT Idlib" ANDNOT Raqqa', '"Aleppo ANDNOT Idlib" AND NOT Raqqa'),
    ("(Kobani OR Raqqa) ANDNOT ISIS", "(Kobani OR Raqqa) AND NOT ISIS"),
    ("ANDNOTE Aleppo", "ANDNOTE Aleppo"),
])
def test_whoosh_operators_in_lucene_syntax(query, lucene):
    assert lucene_operators(query) == lucene


def test_andmaybe_is_refused_where_lucene_cannot_say_it():
    with pytest.raises(QueryNotSearchable, match="ANDMAYBE cannot be searched on this engine"):
        lucene_operators("Aleppo ANDMAYBE Idlib")
