# renda — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
export RENDA_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install install-dev lint typecheck layers pytest migrate demo clean bench bench-resume fuzz

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "renda needs Python >= 3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/base.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(BIN)/renda migrate --noinput

run: install
	@$(BIN)/renda migrate --noinput --verbosity 0
	@$(BIN)/renda demo --if-empty
	@$(BIN)/renda collectstatic --noinput --verbosity 0
	@$(BIN)/renda demo --print-logins --url http://$(HOST):$(PORT)/
	@# The background worker (large Excel exports, ledger uploads) runs beside the web server and
	@# stops with it; if it exits it is started again after 5 s (renda worker: docs/deploy.md).
	( trap 'kill $$child 2>/dev/null; exit 0' INT TERM; \
	  while :; do $(BIN)/renda worker --interval 1 --verbosity 1 & child=$$!; wait $$child; \
	  echo "renda worker exited ($$?); restarting in 5 s" >&2; sleep 5; done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn renda.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 10

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests conftest.py

typecheck: install-dev
	$(BIN)/mypy

# The layering contract (pyproject.toml [tool.importlinter], docs/architecture.md).
layers: install-dev
	$(BIN)/lint-imports --no-cache

pytest: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(PYTEST_ARGS)

# `make fuzz`: schemathesis over /api/openapi.json with every check and more examples per
# operation than the suite's (tests/reliability/test_api_fuzz.py; FUZZ_EXAMPLES=25 by default).
FUZZ_EXAMPLES ?= 25
fuzz: install-dev
	RENDA_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider tests/reliability/test_api_fuzz.py

# `make bench`: load a district (1M suggestions, 200k petitions; BENCH_SCALE=0.1 for a shorter run)
# into SQLite (BENCH_DIR/sqlite) and PostgreSQL (database BENCH_PG_DB), run every scenario on each and
# write bench/results/YYYY-MM-DD[-scaleS].md (see bench/README.md). Takes hours at scale 1.
# Resumable: `make bench-resume` (or BENCH_ARGS=--resume) keeps a database already loaded at the scale
# and the scenarios already measured; other BENCH_ARGS go to bench.run (--scenarios, --runs, …).
BENCH_SCALE ?= 1
BENCH_DIR ?= /tmp/renda-bench
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_PG_DB ?= renda_bench
BENCH_ARGS ?=
BENCH_OUT ?=
BENCH_RESUME :=

$(VENV)/.bench-installed: requirements/bench.txt $(VENV)/.base-installed
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/bench.txt
	touch $@

bench: install $(VENV)/.bench-installed
	$(BIN)/python -m bench.full --scale $(BENCH_SCALE) --dir $(BENCH_DIR) --pg "$(BENCH_PG)" \
		--pg-db $(BENCH_PG_DB) $(if $(BENCH_OUT),--results $(BENCH_OUT)) $(BENCH_RESUME) $(BENCH_ARGS)

bench-resume: BENCH_RESUME := --resume
bench-resume: bench

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
