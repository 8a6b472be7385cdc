# renda — two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2
export RENDA_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install install-dev lint typecheck pytest migrate demo clean bench

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
	$(BIN)/gunicorn renda.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --graceful-timeout 10

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests conftest.py

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
