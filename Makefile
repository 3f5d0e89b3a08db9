# Two commands do everything on a fresh machine: `make run` and `make test`.
# Everything is installed from the hash-checked lock in requirements/ (see README, "Installing"),
# so nothing on this path resolves "the newest version that day". The everyday targets (install,
# run, test, test-fast, lint) are dev.py's, which Windows runs without make: `python dev.py test`.

# The first of python3, python and `py -3` (the Windows launcher) that is Python 3.11 or newer;
# `make test PYTHON=/path/to/python` chooses another. On Windows `python3` can be the Store's
# stub, which is on PATH but runs nothing: each candidate is run, not just looked up.
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell for p in python3 python "py -3"; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1 \
	&& { echo "$$p"; break; }; done)
endif
ifeq ($(strip $(PYTHON)),)
override PYTHON = $(error no Python 3.11 or newer found as python3, python or py -3: install one, or give \
	make PYTHON=/path/to/python)
endif
VENV := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PIP := $(BIN)/python -m pip --disable-pip-version-check
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --upgrade --quiet --custom-compile-command "make lock"
# The day `make test-clock` moves the clock to, a year and more after the data's last reading.
CLOCK := 2027-07-15

.PHONY: install run test test-fast test-clock test-newest lint fuzz bench golden schema docs report screenshots lock dist clean

install:
	$(PYTHON) dev.py install

run:
	$(PYTHON) dev.py run

test:
	$(PYTHON) dev.py test

# The suite without the tests marked slow (fuzzing, concurrency, wheel builds).
test-fast:
	$(PYTHON) dev.py test-fast

# The fast suite a year and more ahead: the day the commands take as today (LCRPLAN_TODAY) and
# the real clock, moved by Debian's faketime. No test may depend on the day it runs.
test-clock: install
	@if command -v faketime >/dev/null 2>&1; then \
		echo "LCRPLAN_TODAY=$(CLOCK) faketime '$(CLOCK) 12:00:00' pytest -m 'not slow'"; \
		LCRPLAN_TODAY=$(CLOCK) faketime '$(CLOCK) 12:00:00' \
			$(BIN)/python -m pytest -q -m "not slow"; \
	elif [ "$$CI" = true ]; then \
		echo "make test-clock: faketime is missing (apt-get install faketime)" >&2; exit 1; \
	else \
		echo "make test-clock: skipped: faketime is not installed (Debian: apt-get install faketime)"; \
	fi

# The suite against the newest releases pyproject.toml allows, in a separate virtualenv with no
# lock, with every extra the dev lock holds: the weekly CI job, so a breaking release is seen the
# week it ships.
test-newest:
	rm -rf .venv-newest
	$(PYTHON) -m venv .venv-newest
	.venv-newest/$(notdir $(BIN))/python -m pip install --quiet --upgrade pip
	.venv-newest/$(notdir $(BIN))/python -m pip install --quiet --editable '.[dev,xlsx]'
	LCRPLAN_UNLOCKED=1 .venv-newest/$(notdir $(BIN))/python -m pytest -q

lint:
	$(PYTHON) dev.py lint

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
	$(BIN)/python -m tests.helpers.screenshots docs/screenshots

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
