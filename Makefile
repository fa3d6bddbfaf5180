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
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

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

test: lint
	$(BIN)/pytest --cov --cov-report=term

bench: venv
	@status=0; for script in bench/*.py; do echo "== $$script"; \
		$(BIN)/python $$script || status=1; done; exit $$status

e2e-browser: venv
	$(BIN)/pytest -m e2e -p no:cacheprovider

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov
