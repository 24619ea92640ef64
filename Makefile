# tuijin — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
PYTEST_WORKERS ?= auto

.PHONY: install install-test run serve test test-fast lint vendor messages demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

## run: install, migrate the embedded SQLite database, load the Zhengzhou demo, serve on 127.0.0.1:8000
run: install
	$(BIN)/tuijin migrate --noinput
	$(BIN)/tuijin collectstatic --noinput --verbosity 0
	$(BIN)/tuijin demo
	@$(BIN)/tuijin demo --logins
	$(BIN)/tuijin serve --host $(HOST) --port $(PORT) --workers $(WORKERS)

## test: install test dependencies and run the whole suite (SQLite, or DATABASE_URL when set)
test: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/tuijin makemigrations --check --dry-run > /dev/null
	$(BIN)/lint-imports
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

lint: install-test
	$(BIN)/ruff check src tests bench

## vendor: refetch the front-end files (bootstrap, htmx, echarts, Zhengzhou map) from npm
vendor:
	scripts/vendor.sh

## messages: rebuild the zh_Hans catalogue after changing English source strings
messages: install
	cd src/tuijin && ../../$(BIN)/django-admin makemessages -l zh_Hans --no-obsolete --settings=tuijin.settings
	cd src/tuijin && ../../$(BIN)/django-admin compilemessages -l zh_Hans --settings=tuijin.settings

demo: install
	$(BIN)/tuijin migrate --noinput
	$(BIN)/tuijin demo --reset

clean:
	rm -rf $(VENV) var
