SHELL := /bin/bash
# lampctl — see README.md.  `make run` and `make test` are all a fresh machine needs
# (after the Debian packages libpq-dev and postgresql; .ci/run installs them).

SWIFT ?= swift
# Where `swift build` puts its output (--scratch-path); override to keep several worktrees apart.
BUILD_DIR ?= .build
BIN := $(BUILD_DIR)/debug/lampctl
RELEASE_BIN := $(BUILD_DIR)/release/lampctl
BENCH_BIN := $(BUILD_DIR)/release/lampctl-bench

.PHONY: build release run test fixtures crosscheck crosscheck-replica crosscheck-fuzz bench fuzz clean

build:
	$(SWIFT) build --scratch-path $(BUILD_DIR)

# The products only: the test helpers (TestSupport) use @testable imports, which a release build refuses.
release:
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product lampctl
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) --product lampctl-bench

## The main job: the nine fix strategies side by side, on $$DATABASE_URL or the embedded server.
run: build
	$(BIN) scenario

## The whole suite against a real PostgreSQL (an embedded one the tests start and stop).
## It also prepares a Python environment with SQLAlchemy 2.1.9 (from PyPI, once) for the cross-check.
test: build
	$(SWIFT) build --build-tests --scratch-path $(BUILD_DIR)
	LAMPCTL_SQLALCHEMY_VENV=$(BUILD_DIR)/sqlalchemy-venv tools/sqlalchemy-venv.sh >/dev/null
	LAMPCTL_SQLALCHEMY_PYTHON=$(abspath $(BUILD_DIR))/sqlalchemy-venv/bin/python \
	  $(SWIFT) test --scratch-path $(BUILD_DIR) 2>&1 | tee $(BUILD_DIR)/test-output.txt; exit $${PIPESTATUS[0]}

## Rewrite the golden files in Fixtures/expected and the recorded results in Fixtures/recorded
## from a real run, for review with git diff.
## Recorded results (Fixtures/recorded) first: the diagram goldens are drawn from them.
fixtures: build
	LAMPCTL_UPDATE_FIXTURES=1 $(SWIFT) test --scratch-path $(BUILD_DIR) --filter 'RecordedResultsTests'
	LAMPCTL_UPDATE_FIXTURES=1 $(SWIFT) test --scratch-path $(BUILD_DIR) --filter 'ScenarioGoldenTests|DiagramRendererTests|ScenarioFilesTests|FixtureRecipeTests'
	git status --short Fixtures

## Compare every built-in and user scenario, across the whole matrix, with real SQLAlchemy 2.1.9.
crosscheck: build
	LAMPCTL_BIN=$(BIN) tools/crosscheck.sh

## The replica built-ins over their matrix, against real SQLAlchemy reading the hot standby
## ($$DATABASE_URL and $$STANDBY_URL, else the embedded pair).
crosscheck-replica: build
	LAMPCTL_BIN=$(BIN) tools/crosscheck-replica.sh

## A random differential check: seeded random scenario files from lampctl's grammar, through
## lampctl and real SQLAlchemy 2.1.9 with psycopg2 and asyncpg (tools/crosscheck-fuzz.py; a bounded
## range runs in make test). SEEDS=A:B or N; FUZZ_FLAGS="--keep-going --cells 2" for more per seed.
SEEDS ?= 0:500
crosscheck-fuzz: build
	PYTHON=$${PYTHON:-$$(tools/sqlalchemy-venv.sh)}; "$$PYTHON" tools/crosscheck-fuzz.py --lampctl $(BIN) --seeds $(SEEDS) $(FUZZ_FLAGS)

## Speed: the full matrix against its round-trip floor, zero-set-up `scenario` (cold, warm) and
## `read`; a table on stdout and bench-results.json (BENCH_FLAGS="--compare old.json" adds a column).
bench: release
	$(BENCH_BIN) $(BENCH_FLAGS)

## The bounded fuzz loop over the scenario file parser (also part of make test).
fuzz: build
	$(SWIFT) test --scratch-path $(BUILD_DIR) --filter ParserFuzzTests

clean:
	rm -rf $(BUILD_DIR)
