"""What only a real SolrCloud shows: shards, replicas, setup_search, a node going away.

Runs when SEARCH_URL names Solr (.ci/solr.sh starts a 2-node cluster and a
collection of 2 shards x 2 replicas); the engine-neutral tests (test_search_api,
test_search_page, ...) run there too and prove the answers equal Whoosh's.
"""
import datetime
import os
import urllib.request
from collections import Counter

import pytest
from django.core.management import call_command
from haystack import connections
from haystack.exceptions import SearchBackendError
from archives import expected_counts, fixture_stories, load_archive
from search_engines import WHOOSH_ENGINE, search_engine

from search.indexing import update_stories
from search.query import more_like_this, search
from search.results import SearchError, SearchParams
from search.solr_backend import ArchiveSolrSearchBackend

pytestmark = pytest.mark.skipif(
    not os.environ.get("SEARCH_URL", "").startswith("solr://"), reason="needs SEARCH_URL=solr://..."
)
STORIES = fixture_stories(load_archive())


@pytest.fixture
def backend():
    return connections["default"].get_backend()


def per_shard(backend, **params):
    """Each shard's own answer (Solr's `shards` parameter), by shard name."""
    status = backend._admin("collections", action="CLUSTERSTATUS", collection=backend.collection)
    names = status["cluster"]["collections"][backend.collection]["shards"]
    return {name: backend.conn.search("*:*", shards=name, **params) for name in names}


def browse():
    result = search(SearchParams(sort="newest", per_page=100))
    return (
        result.total,
        [hit.id for hit in result.hits],
        {kind: {v.value: v.count for v in values} for kind, values in result.facets.items()},
    )


def test_setup_search_leaves_an_existing_collection_alone(backend, capsys):
    call_command("setup_search", shards=2, replicas=2)
    assert capsys.readouterr().out.strip() == f"Solr collection {backend.collection!r} exists; nothing to do."


@pytest.mark.django_db
def test_facet_counts_merge_stories_from_both_shards(backend, search_archive):
    shards = per_shard(backend, rows=0, facet="on", **{"facet.field": "place_exact", "facet.limit": -1})
    assert len(shards) == 2
    assert all(0 < answer.hits < len(STORIES) for answer in shards.values())
    merged = Counter()
    for answer in shards.values():
        values = answer.facets["facet_fields"]["place_exact"]
        merged.update({value: count for value, count in zip(values[::2], values[1::2]) if count})
    expected = expected_counts(STORIES, "place")
    assert dict(merged) == expected
    total, _, facets = browse()
    assert (total, facets["place"]) == (len(STORIES), expected)


@pytest.mark.django_db
def test_more_like_this_finds_stories_on_the_other_shard(backend, search_archive):
    story = search_archive["Syrian Government Strikes on ISIS Targets in Raqqa Kill Dozens, Half of Them Civilians"]
    shard_of = {
        int(doc["django_id"]): doc["[shard]"]
        for doc in backend.conn.search("*:*", rows=100, fl="django_id,[shard]").docs
    }
    similar = more_like_this(story, limit=10)
    assert similar and story.pk not in [hit.id for hit in similar]
    assert {shard_of[hit.id] for hit in similar} - {shard_of[story.pk]}


@pytest.mark.django_db
def test_search_answers_the_same_with_one_node_stopped(search_archive):
    control = os.environ.get("SOLR_CONTROL_URL")
    if not control:
        pytest.skip("needs SOLR_CONTROL_URL of deploy/solr/cluster (set by .ci/solr.sh)")
    before = browse()
    aleppo = search(SearchParams(q="Aleppo")).total
    assert before[0] == len(STORIES) and aleppo > 0
    _post(f"{control}/stop?node=2")
    try:
        assert browse() == before
        assert search(SearchParams(q="Aleppo")).total == aleppo
    finally:
        _post(f"{control}/start?node=2")
    assert browse() == before


def _post(url):
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=180) as response:
        assert response.status == 200


@pytest.mark.django_db
def test_a_query_solr_cannot_read_is_refused_with_the_contracts_reason(search_archive):
    with pytest.raises(SearchError) as refused:
        search(SearchParams(q="nosuchfield:Aleppo"))
    assert str(refused.value) == "“nosuchfield:” cannot be searched; use words, \"phrases\" or headline:."


@pytest.mark.django_db
def test_whoosh_operators_are_translated_or_refused_on_solr(search_archive):
    assert search(SearchParams(q="ISIS ANDNOT Raqqa")).total == search(SearchParams(q="ISIS NOT Raqqa")).total
    with pytest.raises(SearchError) as refused:
        search(SearchParams(q="ISIS ANDMAYBE Raqqa"))
    assert str(refused.value).startswith("ANDMAYBE cannot be searched on this engine")


def test_an_engine_that_is_down_is_reported_not_taken_for_no_results():
    down = ArchiveSolrSearchBackend("default", URL="http://127.0.0.1:9/solr/archive", TIMEOUT=5)
    with pytest.raises(SearchBackendError, match="not answering"):
        down.search("Aleppo")


# Queries a person may type, with the Whoosh syntax's corners and the engine-level refusals.
SAME_ANSWERS = [
    SearchParams(sort="newest"),
    SearchParams(q="Aleppo"),
    SearchParams(q="aleppo freeze"),
    SearchParams(q="al-Assad"),
    SearchParams(q='"Free Syrian Army"'),
    SearchParams(q='"Aleppo freeze" OR Kobani'),
    SearchParams(q="Aleppo/Idlib"),
    SearchParams(q="-Aleppo"),
    SearchParams(q="Aleppo!"),
    SearchParams(q="ISIS NOT Raqqa"),
    SearchParams(q="ISIS ANDNOT Raqqa"),
    SearchParams(q="(Kobani OR Raqqa) AND ISIS"),
    SearchParams(q="headline:ISIS"),
    SearchParams(q="Kob*"),
    SearchParams(q="François Hollande"),
    SearchParams(q="Francois"),
    SearchParams(q="U.N."),
    SearchParams(q="Alepo"),
    SearchParams(q='"Free Syrain Army" AND Kobanni'),
    SearchParams(q="the and of"),
    SearchParams(q="ISIS", place=["Deir ez-Zor"], sort="oldest"),
    SearchParams(q="ISIS", not_place=["Raqqa"], actor=["ISIS"]),
    SearchParams(actor=["People's Protection Units"], sort="newest"),
    SearchParams(source=["Al-Monitor"], not_actor=["U.N."], sort="oldest"),
    SearchParams(date_from=datetime.date(2014, 12, 1), date_to=datetime.date(2015, 1, 31), sort="newest"),
    SearchParams(q="Syria", sort="newest", page=2, per_page=5),
]


def answer(params):
    """What a person sees of a search (for relevance order, the set of stories: scores differ a little)."""
    try:
        result = search(params)
    except SearchError:
        return "refused"
    hits = [(hit.id, hit.snippet, hit.places, hit.actors, hit.sources) for hit in result.hits]
    return {
        "total": result.total,
        "pages": result.pages,
        "hits": hits if params.sort != "relevance" else sorted(hits),
        "facets": {kind: [(v.value, v.count, v.selected, v.excluded) for v in values]
                   for kind, values in result.facets.items()},
        "suggestion": result.suggestion,
    }


@pytest.mark.django_db
def test_solr_answers_every_search_as_the_whoosh_engine_does(search_archive, tmp_path):
    on_solr = [answer(params) for params in SAME_ANSWERS]
    with search_engine({"ENGINE": WHOOSH_ENGINE, "PATH": str(tmp_path)}):
        update_stories([story.pk for story in search_archive.values()])
        on_whoosh = [answer(params) for params in SAME_ANSWERS]
    for params, solr, whoosh in zip(SAME_ANSWERS, on_solr, on_whoosh):
        assert solr == whoosh, params
    assert on_solr.count("refused") == 1  # only the stop words
