#!/usr/bin/env bash
# The JSON API against its own description: schemathesis sends generated requests to the production
# server (gunicorn, DEBUG off, a private archive, a real API token) and checks that no answer is a server
# error and that every answer matches /api/openapi.json. Called by .ci/run and `make contract`.
# Bounded: CONTRACT_MAX_EXAMPLES per operation and phase (default 50), CONTRACT_MAX_SECONDS overall (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=.venv/bin
mkdir -p var  # gunicorn keeps its control socket there (deploy/gunicorn.conf.py)
PORT=${CONTRACT_PORT:-8765}
work=$(mktemp -d "${TMPDIR:-/tmp}/archive-contract-XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# An archive of its own, in the temporary directory: the seed and three digests of other formats.
export DATABASE_URL="sqlite:///$work/archive.sqlite3" SEARCH_URL="whoosh://$work/index"
export SECRET_KEY="contract-run-only-$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
export DEBUG=false ARCHIVE_PUBLIC=false SECURE_SSL_REDIRECT=false BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2
$BIN/python manage.py migrate --noinput --verbosity 0
$BIN/python manage.py setup_search >/dev/null
$BIN/python manage.py ingest --date 2014-11-26 seeds/ >/dev/null
$BIN/python manage.py ingest tests/fixtures/digests/2014-12-03-brussels.txt \
  tests/fixtures/digests/2015-03-15-four-years.md tests/fixtures/digests/2016-12-14-aleppo.html >/dev/null
$BIN/python manage.py shell --no-imports -c "
from django.contrib.auth.models import Group, User
from accounts.roles import ANALYSTS
User.objects.create_user('contract').groups.add(Group.objects.get(name=ANALYSTS))"
key=$($BIN/python manage.py create_api_token contract)

$BIN/gunicorn --config deploy/gunicorn.conf.py archive.wsgi >"$work/server.log" 2>&1 &
server=$!
$BIN/python - "$PORT" <<'WAIT'
import sys, time, urllib.request
for _ in range(120):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
else:
    sys.exit("the server did not answer /healthz within a minute")
WAIT

status=0
$BIN/schemathesis --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/api/openapi.json" \
  --header "Authorization: Token $key" \
  --max-examples "${CONTRACT_MAX_EXAMPLES:-50}" --max-time "${CONTRACT_MAX_SECONDS:-60}" \
  --seed "${CONTRACT_SEED:-$RANDOM}" --generation-database none --no-color || status=$?
if grep -q "Traceback" "$work/server.log"; then
  echo "== the server logged an exception:"; grep -B 2 -A 30 "Traceback" "$work/server.log" | head -n 80
  status=1
fi
exit $status
