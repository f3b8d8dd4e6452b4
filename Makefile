# `make run` serves the archive with the seed digest on http://127.0.0.1:8000 (runserver, DEBUG on, open to
# anyone); `make serve` serves it with the production server (gunicorn, DEBUG off, private); `make test` runs the suite.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.requirements-installed
# The seed digest states no date of its own; its events put it on Wednesday 26 November 2014.
SEED_DATE := 2014-11-26

.PHONY: run serve test fuzz contract setup clean-var

$(READY): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

setup: $(READY)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py setup_search
	$(BIN)/python manage.py ingest --date $(SEED_DATE) seeds/
	$(BIN)/python manage.py check_index --fix
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# A newcomer sees the seed at once: DEBUG on and a public archive, for setup and the server alike.
run: export DEBUG ?= 1
run: export ARCHIVE_PUBLIC ?= true
run: setup
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production: migrate, collect static files, then gunicorn on $$BIND with $$WEB_CONCURRENCY workers
# (deploy/gunicorn.conf.py). Without SECRET_KEY in the environment or .env, a random key is made
# once and kept in var/secret_key. The seed is loaded only into an empty archive.
SECRET_KEY_FILE := var/secret_key
$(SECRET_KEY_FILE):
	mkdir -p var
	umask 077 && $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve: $(READY) $(SECRET_KEY_FILE)
	set -e; \
	if [ -z "$${SECRET_KEY:-}" ] && ! grep -qs '^SECRET_KEY=' .env; then export SECRET_KEY="$$(cat $(SECRET_KEY_FILE))"; fi; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py setup_search; \
	if $(BIN)/python manage.py shell --no-imports -c 'from digest.models import Digest; raise SystemExit(Digest.objects.exists())'; then \
	  $(BIN)/python manage.py ingest --date $(SEED_DATE) seeds/; \
	fi; \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0; \
	exec $(BIN)/gunicorn --config deploy/gunicorn.conf.py archive.wsgi

test: $(READY)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# `make bench-requirements`: the load tool bench/load.py drives the server with (locust), into .venv; the
# site itself never imports it, so it stays out of requirements.txt.
.PHONY: bench-requirements
bench-requirements: $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt

# `make fuzz`: coverage-guided fuzzing (atheris) of each reader for FUZZ_SECONDS, from its seed corpus in
# tests/fuzz/READER/. A crash fails the target and leaves its input in var/fuzz/READER/ (tests/fuzz/run.py).
# FUZZ_SEED=N makes a run repeatable (same inputs in the same order, tests/fuzz/run.py): CI uses one, so
# it fails on what a change broke, not on what a lucky draw found; without it every run explores anew.
FUZZ_SECONDS ?= 30
FUZZ_SEED ?=
FUZZ_READERS := text html email markdown zip
fuzz: $(READY)
	@mkdir -p var/fuzz
	@for reader in $(FUZZ_READERS); do \
	  if $(if $(FUZZ_SEED),PYTHONHASHSEED=$(FUZZ_SEED)) $(BIN)/python tests/fuzz/run.py $$reader --seconds $(FUZZ_SECONDS) \
	      $(if $(FUZZ_SEED),--seed $(FUZZ_SEED)) >var/fuzz/$$reader.log 2>&1; then \
	    echo "fuzz $$reader: no crash, $$(grep -m1 '^Done' var/fuzz/$$reader.log)"; \
	  else \
	    grep -A 40 'Uncaught Python exception\|ERROR: libFuzzer' var/fuzz/$$reader.log | head -n 60; \
	    echo "fuzz $$reader: CRASH, input in var/fuzz/$$reader/ (log var/fuzz/$$reader.log)"; exit 1; \
	  fi; \
	done

# `make contract`: schemathesis against /api/openapi.json on a live gunicorn (.ci/contract.sh).
contract: $(READY)
	bash .ci/contract.sh

clean-var:
	rm -rf var

# `make solr`: a 2-node SolrCloud test cluster on 127.0.0.1 with an embedded ZooKeeper, in the
# foreground (Java 17 and Maven; jars cached in ~/.m2/repository). When it prints SOLR_URL=..., point the
# archive at it: SEARCH_URL=solr://127.0.0.1:PORT/solr/archive, then `manage.py setup_search`.
.PHONY: solr
solr:
	deploy/solr/cluster/run.sh
