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

LOCK := requirements/base.txt
TEST_LOCK := requirements/test.txt
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links

.PHONY: install install-test run serve test test-fast lint lock lock-upgrade vendor messages demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Dependencies come pinned from the lock files (make lock); tuijin itself is installed without them.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(TEST_STAMP): $(TEST_LOCK) $(STAMP)
	$(BIN)/pip install --quiet -r $(TEST_LOCK)
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

## lock: recompile the lock files from pyproject.toml after changing a dependency (other pins are kept)
# The test lock is compiled first; the runtime lock takes its versions from it, so the two agree.
lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(PIP_COMPILE) $(LOCK_FLAGS) --extra test --output-file $(TEST_LOCK) pyproject.toml
	$(PIP_COMPILE) $(LOCK_FLAGS) --constraint $(TEST_LOCK) --output-file $(LOCK) pyproject.toml

## lock-upgrade: move every pin to the newest version pyproject.toml allows (then run make test, commit)
lock-upgrade:
	$(MAKE) lock LOCK_FLAGS=--upgrade

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
