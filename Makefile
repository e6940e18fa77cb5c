SHELL := /bin/bash
# lampctl — see README.md.  `make run` and `make test` are all a fresh machine needs
# (after the Debian packages libpq-dev and postgresql; .ci/run installs them).

SWIFT ?= swift
BIN := .build/debug/lampctl
RELEASE_BIN := .build/release/lampctl

.PHONY: build release run test fixtures crosscheck bench fuzz clean

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## The main job: the nine fix strategies side by side, on $$DATABASE_URL or the embedded server.
run: build
	$(BIN) scenario

## The whole suite against a real PostgreSQL (an embedded one the tests start and stop).
test: build
	$(SWIFT) build --build-tests
	$(SWIFT) test 2>&1 | tee .build/test-output.txt; exit $${PIPESTATUS[0]}

## Rewrite the golden files in Fixtures/expected from a real run, for review with git diff.
fixtures: build
	LAMPCTL_UPDATE_FIXTURES=1 $(SWIFT) test --filter 'ScenarioGoldenTests|DiagramRendererTests|ScenarioFilesTests'
	git status --short Fixtures

## Compare every built-in scenario, across the whole matrix, with real SQLAlchemy (needs pip).
crosscheck: build
	tools/crosscheck.sh

## Speed: the full matrix against the round-trip floor, zero-set-up runs, `read`.
bench: release
	$(RELEASE_BIN) _bench

clean:
	rm -rf .build
