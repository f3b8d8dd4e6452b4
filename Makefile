# `make run` serves the archive with the seed digest on http://127.0.0.1:8000; `make test` runs the suite.
# Both create .venv from requirements.txt when it is missing or older than requirements.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.requirements-installed
# The seed digest states no date of its own; its events put it on Wednesday 26 November 2014.
SEED_DATE := 2014-11-26

.PHONY: run test setup clean-var

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

run: setup
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(READY)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean-var:
	rm -rf var

# `make solr`: a 2-node SolrCloud test cluster on 127.0.0.1 with an embedded ZooKeeper, in the
# foreground (Java 17 and Maven; jars cached in ~/.m2/repository). When it prints SOLR_URL=..., point the
# archive at it: SEARCH_URL=solr://127.0.0.1:PORT/solr/archive, then `manage.py setup_search`.
.PHONY: solr
solr:
	deploy/solr/cluster/run.sh
