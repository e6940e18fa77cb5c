SHELL := /bin/bash
# lampctl — see README.md.  `make run` and `make test` are all a fresh machine needs
# (after the Debian packages libpq-dev and postgresql; .ci/run installs them).

SWIFT ?= swift
# Where `swift build` puts its output (--scratch-path); override to keep several worktrees apart.
BUILD_DIR ?= .build
BIN := $(BUILD_DIR)/debug/lampctl
RELEASE_BIN := $(BUILD_DIR)/release/lampctl
BENCH_BIN := $(BUILD_DIR)/release/lampctl-bench

.PHONY: build release run test test-fast fixtures crosscheck crosscheck-django crosscheck-django-fuzz crosscheck-replica crosscheck-fuzz reports docs bench fuzz clean

build:
	$(SWIFT) build --scratch-path $(BUILD_DIR)

# The products only: the test helpers (TestSupport) use @testable imports, which a release build refuses.
release:
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product lampctl
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product lampctl-bench

## The main job: the nine fix strategies side by side, on $$DATABASE_URL or the embedded server.
run: build
	$(BIN) scenario

VENV := $(BUILD_DIR)/sqlalchemy-venv
PYTHON_BIN = $(abspath $(VENV))/bin/python
DJANGO_VENV := $(BUILD_DIR)/django-venv
DJANGO_PYTHON = $(abspath $(DJANGO_VENV))/bin/python
SUITES_VENV := $(BUILD_DIR)/suites-venv
SUITES_PYTHON = $(abspath $(SUITES_VENV))/bin/python
REPORT_VENV := $(BUILD_DIR)/report-venv
REPORT_PYTHON = $(abspath $(REPORT_VENV))/bin/python

## The edit-compile loop: the suites that need no server and no Python (Tests/fast-suites.txt);
## a test there that reaches for a server or Python fails, saying so.
test-fast: build
	$(SWIFT) build --build-tests --scratch-path $(BUILD_DIR)
	LAMPCTL_TEST_FAST=1 tools/run-tests.sh $(BUILD_DIR) --filter "$$(tools/fast-suites.sh)"

## The whole suite against a real PostgreSQL (an embedded one the tests share), with bounded
## cross-checks against real SQLAlchemy 2.1.9 and real Django 5.2.19 (their Python environments
## are made once, pinned).
test: build
	$(SWIFT) build --build-tests --scratch-path $(BUILD_DIR)
	LAMPCTL_SQLALCHEMY_VENV=$(VENV) tools/sqlalchemy-venv.sh >/dev/null
	LAMPCTL_DJANGO_VENV=$(DJANGO_VENV) tools/django-venv.sh >/dev/null
	LAMPCTL_REPORT_VENV=$(REPORT_VENV) tools/report-venv.sh >/dev/null
	LAMPCTL_SUITES_VENV=$(SUITES_VENV) tools/suites-venv.sh >/dev/null
	LAMPCTL_SQLALCHEMY_PYTHON=$(PYTHON_BIN) LAMPCTL_DJANGO_PYTHON=$(DJANGO_PYTHON) LAMPCTL_REPORT_PYTHON=$(REPORT_PYTHON) \
		LAMPCTL_SUITES_PYTHON=$(SUITES_PYTHON) tools/run-tests.sh $(BUILD_DIR)

## Rewrite the golden files in Fixtures/expected and the recorded results in Fixtures/recorded
## from a real run, for review with git diff (then run make crosscheck, which stamps them).
## Recorded results (Fixtures/recorded) first: the diagram goldens are drawn from them.
fixtures: build
	$(SWIFT) build --build-tests --scratch-path $(BUILD_DIR)
	LAMPCTL_UPDATE_FIXTURES=1 $(SWIFT) test --skip-build --scratch-path $(BUILD_DIR) --filter 'RecordedResultsTests'
	LAMPCTL_UPDATE_FIXTURES=1 $(SWIFT) test --skip-build --scratch-path $(BUILD_DIR) --filter 'ScenarioGoldenTests|DiagramRendererTests|ScenarioFilesTests|FixtureRecipeTests|ReportCommandTests'
	git status --short Fixtures

## The complete cross-checks against real SQLAlchemy 2.1.9 (psycopg2 and asyncpg): every built-in
## and user scenario over the whole matrix and under every fixture recipe, the replica built-ins
## against a real hot standby, and the random differential check over 1000 seeds; against real
## Django 5.2.19: every Django built-in and user scenario over isolation x test wrapper, and the
## random differential check over 1000 seeds; every built-in's --report in headless Chromium and
## its --junit against the JUnit 10 schema (tools/check-reports.sh --browser). When all
## pass, it stamps Fixtures/ (Fixtures/crosschecked.sha256), which make test checks.
crosscheck: build
	LAMPCTL_SQLALCHEMY_VENV=$(VENV) tools/sqlalchemy-venv.sh >/dev/null
	LAMPCTL_DJANGO_VENV=$(DJANGO_VENV) tools/django-venv.sh >/dev/null
	PYTHON=$(DJANGO_PYTHON) LAMPCTL_BIN=$(BIN) tools/crosscheck-django.sh
	$(DJANGO_PYTHON) tools/crosscheck-django-fuzz.py --lampctl $(BIN) --seeds 0:1000 --keep-going
	PYTHON=$(PYTHON_BIN) LAMPCTL_BIN=$(BIN) tools/crosscheck.sh
	PYTHON=$(PYTHON_BIN) LAMPCTL_BIN=$(BIN) tools/crosscheck-replica.sh
	$(PYTHON_BIN) tools/crosscheck-fuzz.py --lampctl $(BIN) --seeds 0:1000 --keep-going
	LAMPCTL_REPORT_VENV=$(REPORT_VENV) tools/report-venv.sh >/dev/null
	PYTHON=$(REPORT_PYTHON) tools/check-report-selftest.sh
	PYTHON=$(REPORT_PYTHON) LAMPCTL_BIN=$(BIN) tools/check-reports.sh --browser
	tools/crosscheck-stamp.sh --write

## One part of make crosscheck: every Django built-in and user scenario against real Django 5.2.19.
crosscheck-django: build
	LAMPCTL_DJANGO_VENV=$(DJANGO_VENV) tools/django-venv.sh >/dev/null
	PYTHON=$(DJANGO_PYTHON) LAMPCTL_BIN=$(BIN) tools/crosscheck-django.sh

## One part of make crosscheck: Django's random differential check (tools/crosscheck-django-fuzz.py).
crosscheck-django-fuzz: build
	LAMPCTL_DJANGO_VENV=$(DJANGO_VENV) tools/django-venv.sh >/dev/null
	$(DJANGO_PYTHON) tools/crosscheck-django-fuzz.py --lampctl $(BIN) --seeds $(SEEDS) $(FUZZ_FLAGS)

## One part of make crosscheck: the replica built-ins over their matrix, against real SQLAlchemy
## reading the hot standby ($$DATABASE_URL and $$STANDBY_URL, else the embedded pair).
crosscheck-replica: build
	LAMPCTL_SQLALCHEMY_VENV=$(VENV) tools/sqlalchemy-venv.sh >/dev/null
	PYTHON=$(PYTHON_BIN) LAMPCTL_BIN=$(BIN) tools/crosscheck-replica.sh

## One part of make crosscheck: the random differential check: seeded random scenario files from
## lampctl's grammar, through lampctl and real SQLAlchemy 2.1.9 with psycopg2 and asyncpg
## (tools/crosscheck-fuzz.py). SEEDS=A:B or N; FUZZ_FLAGS="--keep-going --cells 2" for more per seed.
SEEDS ?= 0:1000
crosscheck-fuzz: build
	LAMPCTL_SQLALCHEMY_VENV=$(VENV) tools/sqlalchemy-venv.sh >/dev/null
	$(PYTHON_BIN) tools/crosscheck-fuzz.py --lampctl $(BIN) --seeds $(SEEDS) $(FUZZ_FLAGS)

## Every built-in's --report in headless Chromium (screenshots in .build/reports/shots) and its
## --junit against the JUnit 10 schema and junitparser (part of make crosscheck).
reports: build
	LAMPCTL_REPORT_VENV=$(REPORT_VENV) tools/report-venv.sh >/dev/null
	PYTHON=$(REPORT_PYTHON) LAMPCTL_BIN=$(BIN) tools/check-reports.sh --browser

## Regenerate the generated parts of docs/ (the grammar block in docs/scenario-grammar.md, docs/matrix.md from real runs).
docs: build
	LAMPCTL_BIN=$(BIN) tools/make-docs.sh

## Speed: the full matrix against its round-trip floor, zero-set-up `scenario` (cold, warm) and
## `read`, the standby, scale (long files, many lamps, peak memory) and lampctl watch's overhead on
## Fixtures/suites; a table on stdout and bench-results.json (BENCH_FLAGS="--compare old.json" adds a column).
bench: release
	LAMPCTL_SUITES_VENV=$(SUITES_VENV) tools/suites-venv.sh >/dev/null
	LAMPCTL_SUITES_PYTHON=$(SUITES_PYTHON) $(BENCH_BIN) $(BENCH_FLAGS)

## The bounded fuzz loop over the scenario file parser (also part of make test).
fuzz: build
	$(SWIFT) build --build-tests --scratch-path $(BUILD_DIR)
	$(SWIFT) test --skip-build --scratch-path $(BUILD_DIR) --filter ParserFuzzTests

clean:
	rm -rf $(BUILD_DIR)
