#!/usr/bin/env bash
# Prints the swift test --filter for the suites in Tests/fast-suites.txt (one Module.Suite a
# line; '#' comments): the tests that need no server and no Python.
set -euo pipefail
cd "$(dirname "$0")/.."
suites=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' Tests/fast-suites.txt | grep -v '^$' | paste -sd'|')
echo "^($suites)/"
