# RetroWalk developer commands. `make run` and `make test` create the environment when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: help venv run test lint fmt typecheck bench e2e-browser clean

help:
	@echo "make run    - create the environment if needed, migrate the database, start the web app"
	@echo "make test   - lint, format check, type check and the whole test suite with coverage"
	@echo "make lint   - ruff (lint + format check) and mypy"
	@echo "make fmt    - format and auto-fix with ruff"
	@echo "make bench  - run every benchmark in bench/ and print its figures"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
		{ echo "RetroWalk needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	@echo "RetroWalk setup, step 1 of 3: creating the environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	@# uv (pinned in constraints.txt) installs the pinned environment several times faster than
	@# pip; pip alone is the fallback where uv cannot be installed. Both show their progress.
	@echo "RetroWalk setup, step 2 of 3: installing the installer (uv)"
	$(BIN)/python -m pip install --progress-bar on --disable-pip-version-check -c constraints.txt uv \
		&& echo "RetroWalk setup, step 3 of 3: installing RetroWalk and its libraries (a minute or two the first time)" \
		&& $(BIN)/uv pip install --python $(BIN)/python -c constraints.txt -e '.[dev]' \
		|| { echo "RetroWalk setup, step 3 of 3: installing RetroWalk and its libraries with pip (uv was not available)"; \
		$(BIN)/python -m pip install --progress-bar on --disable-pip-version-check -c constraints.txt -e '.[dev]'; }
	@touch $(STAMP)
	@echo "RetroWalk setup: done"

venv: $(STAMP)

run: venv
	$(BIN)/retrowalk db upgrade
	$(BIN)/retrowalk serve

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

typecheck: venv
	$(BIN)/mypy

fmt: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The suite in two runs sharing one coverage file: first everything that does not depend on real
# elapsed time, spread over PYTEST_WORKERS processes; then the real-time tests (the browser and
# the subprocess timing tests) alone, so other work on the machine cannot make them late.
# scripts/with-postgres gives the PostgreSQL tests a throw-away cluster when PostgreSQL is
# installed (or uses RETROWALK_TEST_POSTGRES_URL when it is set).
PYTEST_WORKERS ?= auto
SERIAL := e2e or realtime

test: lint
	@scripts/with-postgres sh -c 'status=0; \
	$(BIN)/pytest -n $(PYTEST_WORKERS) -m "not ($(SERIAL))" --cov --cov-report= --cov-fail-under=0 \
		|| status=1; \
	$(BIN)/pytest -m "$(SERIAL)" --cov --cov-append --cov-report=term || status=1; \
	exit $$status'

bench: venv
	@status=0; for script in bench/*.py; do echo "== $$script"; \
		$(BIN)/python $$script || status=1; done; exit $$status

e2e-browser: venv
	$(BIN)/pytest -m e2e -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
