#!/usr/bin/env bash
# The backend-neutral search tests against a real SolrCloud: 2 nodes, a collection of 2 shards
# (facet counts must merge across shards) with 2 replicas each (search must survive a stopped node).
# Called by .ci/run after the default suite; runs by hand too. Needs Java 17 and Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tests that speak only haystack, search.query and the HTTP API, so they must pass on any engine.
SUITE=(
  tests/test_search_query.py
  tests/test_indexing.py
  tests/test_ingest_service.py
  tests/test_curation.py
  tests/test_check_index.py
  tests/test_search_api.py
  tests/test_search_page.py
  tests/test_solr_backend.py
  tests/test_healthz.py
  tests/test_search_contract.py
  tests/test_search_export.py
  tests/test_search_feed.py
  tests/test_search_folding.py
  tests/test_saved_searches.py
  tests/test_entities_pages.py
  tests/test_entities_api.py
)
# Tests of Whoosh internals: its wildcard limit (Solr has none), its index segments, and its
# exact answers to odd syntax (Lucene reads fuzzy, proximity and ranges its own way; the
# engine-neutral test beside it holds both engines to the contract).
DESELECT=(
  --deselect tests/test_search_query.py::test_broken_queries_get_whooshs_exact_answers
  --deselect tests/test_search_query.py::test_a_prefix_matching_too_many_words_is_refused
  --deselect tests/test_indexing.py::test_merged_segments_keep_every_posting
)

# The first build on a machine downloads Maven's jars (~140 MB): a step of its own, not timed below.
deploy/solr/cluster/run.sh --build-only

out=$(mktemp -d "${TMPDIR:-/tmp}/archive-solr-ci-XXXXXX")
deploy/solr/cluster/run.sh 2 "$out/cluster" >"$out/stdout" 2>"$out/stderr" &
cluster=$!
stop_cluster() {
  kill "$cluster" 2>/dev/null && wait "$cluster" 2>/dev/null || true
  rm -rf "$out"
}
trap stop_cluster EXIT

for _ in $(seq 1200); do
  grep -q '^SOLR_URL=' "$out/stdout" && break
  if ! kill -0 "$cluster" 2>/dev/null; then
    echo "The Solr test cluster did not start:" >&2
    tail -n 40 "$out/stderr" >&2
    exit 1
  fi
  sleep 0.5
done
solr_url=$(sed -n 's/^SOLR_URL=//p' "$out/stdout")
[ -n "$solr_url" ] || { echo "No SOLR_URL after 10 minutes" >&2; exit 1; }
grep -E '^cluster of' "$out/stderr" || true

export SEARCH_URL="solr://${solr_url#http://}/archive"
export SOLR_CONTROL_URL=$(sed -n 's/^SOLR_CONTROL=//p' "$out/stderr")
echo "== Solr suite: $SEARCH_URL"
# DEBUG on: this one command runs outside the test settings, with no SECRET_KEY of its own.
DEBUG=1 .venv/bin/python manage.py setup_search --shards 2 --replicas 2
make test PYTEST_ARGS="${SUITE[*]} ${DESELECT[*]}"
