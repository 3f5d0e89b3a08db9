# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test test-fast lint fuzz bench golden schema report clean

install: $(STAMP)

# Re-install only when the project's metadata changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m compileall -q lcrplan  # reused even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

run: install
	$(BIN)/lcrplan status --data data

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check lcrplan tests
	$(BIN)/ruff format --check lcrplan tests
	$(BIN)/mypy lcrplan

fuzz: install
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/test_fuzz.py

bench: install
	$(BIN)/python -m compileall -q lcrplan
	$(BIN)/python -m tests.bench

golden: install
	LCRPLAN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_report.py

schema: install
	$(BIN)/lcrplan schema --output data/schema

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache data/.lcrplan-cache
