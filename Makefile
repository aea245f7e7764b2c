# Two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
POSTGRES_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/test

.PHONY: run fake-scme test test-postgres fuzz bench-matching bench-imports lint format openapi clients bench docs-check form-pictures clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed-run

## run: migrate the embedded SQLite database, load demo data if empty, serve on :8000
## (with the outbox worker in the process, sending to APP_SCME_BASE_URL: see `make fake-scme`)
run: $(VENV)/.installed-run
	@mkdir -p data
	$(BIN)/alembic upgrade head
	$(BIN)/python -m app seed-demo --if-empty
	@echo "API on http://$(HOST):$(PORT)  (docs: /docs and /redoc)"
	APP_OUTBOX_IN_PROCESS=true APP_WEBHOOK_ALLOW_HTTP=true \
		$(BIN)/python -m app serve --host $(HOST) --port $(PORT)

## fake-scme: a fake SCME job-referral service on :8900 (the default APP_SCME_BASE_URL)
fake-scme: $(VENV)/.installed-run
	$(BIN)/python -m app fake-scme --port 8900

## test: the whole suite (SQLite, or PostgreSQL when TEST_DATABASE_URL is set)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## bench-matching: precision and recall of the duplicate matcher on 100,000 synthetic persons
bench-matching: $(VENV)/.installed-test
	$(BIN)/python bench/matching.py

## bench-imports: a spreadsheet of 10,000 persons imported (dry run, then the real run) on SQLite;
## IMPORT_BENCH_ARGS="--database-url $(POSTGRES_TEST_URL)" for PostgreSQL, "--format xlsx" for a workbook
bench-imports: $(VENV)/.installed-test
	$(BIN)/python bench/imports.py $(IMPORT_BENCH_ARGS)

## form-pictures: pictures of the printed forms in docs/forms/ (needs pdftoppm: poppler-utils)
form-pictures: $(VENV)/.installed-run
	$(BIN)/python scripts/form_pictures.py

## fuzz: the committed contract fuzzed longer than in CI (FUZZ_EXAMPLES per operation and role)
fuzz: $(VENV)/.installed-test
	FUZZ_COVERAGE=1 FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-50} $(BIN)/python -m pytest tests/test_fuzz.py

## test-postgres: the whole suite against the local PostgreSQL server
test-postgres:
	TEST_DATABASE_URL=$(POSTGRES_TEST_URL) $(MAKE) test

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[bench]'
	@touch $@ $(VENV)/.installed-run

## bench: seed PostgreSQL with a national caseload (SCALES="100000 1000000"), load this service
## and the bare baseline with wrk, print the table and write bench/results/ (bench/README.md)
SCALES ?= 100000
BENCH_ARGS ?=
bench: $(VENV)/.installed-bench
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	$(BIN)/python -m bench.run $(foreach s,$(SCALES),--scale $(s)) $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## openapi: regenerate the committed contract (openapi/openapi.json)
openapi: $(VENV)/.installed-run
	$(BIN)/python -m app export-openapi

## clients: generate a TypeScript and a Python client from the committed contract, type-check the
## TypeScript one, import the Python one; any warning about a skipped part fails
CLIENTS := build/clients
clients: $(VENV)/.installed-test
	npm ci --prefix clients --no-audit --no-fund --silent
	@mkdir -p $(CLIENTS)/ts
	clients/node_modules/.bin/openapi-typescript openapi/openapi.json -o $(CLIENTS)/ts/schema.d.ts \
		2>&1 | tee $(CLIENTS)/ts.log
	@! grep -iE "warn|skip|error" $(CLIENTS)/ts.log
	clients/node_modules/.bin/tsc -p clients/tsconfig.json
	@test -x $(CLIENTS)/venv/bin/openapi-python-client || { $(PYTHON) -m venv $(CLIENTS)/venv \
		&& $(CLIENTS)/venv/bin/pip install --quiet "openapi-python-client==0.29.1"; }
	PATH="$(CURDIR)/$(BIN):$$PATH" $(CLIENTS)/venv/bin/openapi-python-client generate \
		--path openapi/openapi.json --output-path $(CLIENTS)/python --overwrite \
		--config clients/python-client.yml 2>&1 \
		| tee $(CLIENTS)/python.log
	@! grep -iE "warn|skip|error" $(CLIENTS)/python.log
	cd $(CLIENTS)/python && ../venv/bin/python -c "import trafficking_case_management_api_client.models"

## docs-check: with `make run` serving, check /docs and /redoc in headless Chromium (offline)
docs-check:
	$(BIN)/python scripts/check_offline_docs.py http://$(HOST):$(PORT)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache build \
		clients/node_modules
