# Two commands do everything on a fresh machine: `make run` and `make test`.
# Everything is installed from the hash-checked lock in requirements/ (see README, "Installing"),
# so nothing on this path resolves "the newest version that day".
PYTHON ?= python3
VENV := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --disable-pip-version-check
LOCK := requirements/dev.txt
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --upgrade --quiet --custom-compile-command "make lock"

.PHONY: install run test test-fast test-newest lint fuzz bench golden schema docs report screenshots lock dist clean

install: $(STAMP)

# Re-install only when the project's metadata or the lock changes. -qq: pip's errors only.
$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --quiet --require-hashes --no-deps -r $(LOCK)
	$(PIP) install --quiet --no-deps --no-build-isolation --editable .
	$(BIN)/python -m compileall -q lcrplan  # reused even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

run: install
	$(BIN)/lcrplan status --data data

test: install
	$(BIN)/python -m pytest -q

# The suite without the tests marked slow (fuzzing, concurrency, wheel builds).
test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

# The suite against the newest releases pyproject.toml allows, in a separate virtualenv with no
# lock: the weekly CI job, so a breaking release is seen the week it ships.
test-newest:
	rm -rf .venv-newest
	$(PYTHON) -m venv .venv-newest
	.venv-newest/$(notdir $(BIN))/python -m pip install --quiet --upgrade pip
	.venv-newest/$(notdir $(BIN))/python -m pip install --quiet --editable '.[dev]'
	LCRPLAN_UNLOCKED=1 .venv-newest/$(notdir $(BIN))/python -m pytest -q

lint: install
	$(BIN)/ruff check lcrplan tests
	$(BIN)/ruff format --check lcrplan tests
	$(BIN)/mypy lcrplan

fuzz: install
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -q tests/test_fuzz.py

bench: install
	$(BIN)/python -m compileall -q lcrplan
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_import

golden: install
	LCRPLAN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_report.py tests/test_report_html.py

schema: install
	$(BIN)/lcrplan schema --output data/schema
	$(BIN)/lcrplan schema --for output --output docs

# The page of every problem code, made from lcrplan/codes.py (a test keeps it in step).
docs: install
	$(BIN)/lcrplan explain --all --format markdown > docs/codes.md

# Regenerate the example reports in reports/ (reports/YYYY-MM.md is the report for that month,
# reports/YYYY-MM.html the same report as one web page for board papers).
report: install
	for file in reports/*.md; do \
		month=$$(basename "$$file" .md); \
		$(BIN)/lcrplan report --data data --month "$$month" --output "$$file" || exit 1; \
		$(BIN)/lcrplan report --data data --month "$$month" --format html \
			--output "reports/$$month.html" || exit 1; \
	done

# Regenerate the README's pictures (docs/screenshots/) from the real data at a fixed date, in
# headless Chromium.
screenshots: install
	$(BIN)/python -m tests.screenshots docs/screenshots

# Refresh the locks to the newest versions the ranges in pyproject.toml allow (needs the network).
lock: install
	$(COMPILE) -o requirements/runtime.txt
	$(COMPILE) --extra dev --extra xlsx -o requirements/dev.txt
	$(COMPILE) --extra release -o requirements/release.txt

# Build and check the release artefacts as the release workflow does, into dist/.
dist: install
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/release.txt
	rm -rf dist
	$(BIN)/python -m build --no-isolation --outdir dist .
	$(BIN)/python -m twine check --strict dist/*
	$(BIN)/python .ci/check-dist.py dist

clean:
	rm -rf $(VENV) .venv-newest .pytest_cache .ruff_cache .mypy_cache data/.lcrplan-cache build dist
