#!/usr/bin/env bash
# Runs `swift test` with the given arguments (after the scratch path), keeps its output in
# BUILD_DIR/test-output.txt, and ends with one line counting the tests that passed and failed
# (`tests: N passed, N failed`); exits with swift test's status.
#   run-tests.sh BUILD_DIR [swift test arguments...]
set -uo pipefail
build_dir=$1; shift
# The tests' shared embedded server: one per checkout, so two checkouts' runs never share it.
scratch=/tmp; [ -d /dev/shm ] && [ -w /dev/shm ] && scratch=/dev/shm
export LAMPCTL_TEST_HOME=${LAMPCTL_TEST_HOME:-$scratch/lampctl-test-$(id -u)-$(pwd | cksum | cut -d' ' -f1)}
output="$build_dir/test-output.txt"
${SWIFT:-swift} test --skip-build --scratch-path "$build_dir" "$@" 2>&1 | tee "$output"
status=${PIPESTATUS[0]}
# Swift Testing says, per test function (a parameterised one once, for all its cases):
# '✔ Test NAME passed after' / '✘ Test NAME failed after'; 'Test run with' is the total.
passed=$(grep -aE '^✔ Test .* passed after [0-9.]+ seconds' "$output" | grep -avc '^✔ Test run with')
failed=$(grep -aE '^✘ Test .* failed after [0-9.]+ seconds' "$output" | grep -avc '^✘ Test run with')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # ended before it could report (a watchdog, a crash)
echo "tests: $passed passed, $failed failed"
exit "$status"
