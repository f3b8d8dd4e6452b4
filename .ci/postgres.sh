#!/usr/bin/env bash
# The whole suite on PostgreSQL 15, the database a larger deployment moves to.
# Called by .ci/run after the default suite; also runs by hand (as root) on a developer machine.
# Starts the machine's PostgreSQL if it is down, gives the suite a role of its own (pytest-django
# creates and drops its test database), and leaves the machine as it found it.
set -euo pipefail
cd "$(dirname "$0")/.."

PG_VERSION=15
PG_CLUSTER=main
ROLE=archive_ci
PASSWORD=archive_ci
PORT=$(pg_conftool -s "$PG_VERSION" "$PG_CLUSTER" show port 2>/dev/null || echo 5432)

as_postgres() { su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $PORT $*"; }

started_here=0
if ! pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  started_here=1
fi

index=$(mktemp -d "${TMPDIR:-/tmp}/archive-pg-index-XXXXXX")
cleanup() {
  rm -rf "$index"
  as_postgres "-c 'DROP DATABASE IF EXISTS test_$ROLE WITH (FORCE)' -c 'DROP DATABASE IF EXISTS $ROLE WITH (FORCE)' -c 'DROP ROLE IF EXISTS $ROLE'" || true
  if [ "$started_here" = 1 ]; then
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop || true
  fi
}
trap cleanup EXIT

as_postgres "-c 'DROP DATABASE IF EXISTS test_$ROLE WITH (FORCE)' -c 'DROP DATABASE IF EXISTS $ROLE WITH (FORCE)' -c 'DROP ROLE IF EXISTS $ROLE'"
as_postgres "-c \"CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'\" -c 'CREATE DATABASE $ROLE OWNER $ROLE'"

echo "== PostgreSQL $PG_VERSION suite"
# A search index of its own: settings are read before tests/conftest.py can choose one.
SEARCH_URL="whoosh://$index" DATABASE_URL="postgres://$ROLE:$PASSWORD@127.0.0.1:$PORT/$ROLE" make test
