# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS ?= dev,bench

.PHONY: run test setup check bench screenshots dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed-$(EXTRAS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

setup: $(VENV)/.installed-$(EXTRAS)

## Open the desktop app on the bundled decks (imported on first start).
run: setup
	$(BIN)/studyapp

## Run the whole test suite headless.
test: setup
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

## Linters and type checks.
check: setup
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

## Benchmarks against Anki (writes docs/benchmarks.md).
bench: setup
	$(BIN)/python bench/run.py

## sdist and wheel in dist/, checked with twine (offline: hatchling is in the venv).
dist: setup
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist
	$(BIN)/twine check --strict dist/*

screenshots: setup
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
