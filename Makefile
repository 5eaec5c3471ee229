# The one entry point. `make run` and `make test` are the two set-up commands.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/14

.PHONY: run test test-postgres lint format lock audit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet uv==0.13.8

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(UV) pip sync --quiet --python $(BIN)/python requirements.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	@rm -f $(VENV)/.installed-dev
	touch $@

$(VENV)/.installed-dev: $(BIN)/python requirements-dev.lock pyproject.toml
	$(UV) pip sync --quiet --python $(BIN)/python requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(VENV)/.installed $@

# axe-core for the accessibility scan of the browser tests (skipped when npm is missing)
AXE := tests/browser/a11y/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser/a11y --no-audit --no-fund --loglevel=error; \
	else echo "npm fehlt: Barrierefreiheits-Scan wird übersprungen"; fi

run: $(VENV)/.installed
	$(BIN)/inge serve

test: $(VENV)/.installed-dev $(AXE)
	$(BIN)/pytest -q

test-postgres: $(VENV)/.installed-dev $(AXE)
	INGE_TEST_DATABASE_URL=$(PG_TEST_URL) INGE_TEST_REDIS_URL=$(REDIS_TEST_URL) $(BIN)/pytest -q

lint: $(VENV)/.installed-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy service checks nlp integrations

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: $(BIN)/python
	$(UV) pip compile --quiet pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet pyproject.toml --extra dev -o requirements-dev.lock

# Known vulnerabilities in the pinned runtime packages. --strict: a package that could not be
# looked up fails the run (a silent skip would read as "clean"). Needs PyPI's per-version JSON
# API or api.osv.dev; the CI machines reach neither, so CI does not run it.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit -r requirements.lock --no-deps --disable-pip --strict --progress-spinner off

bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis tests/browser/a11y/node_modules
