#!/usr/bin/env bash
# The stamp that ties the golden files to the cross-check: Fixtures/crosschecked.sha256 holds one
# hash over every file in Fixtures/ (names and contents), written by `make crosscheck` only after
# every cross-check passed. `make test` checks it (CrosscheckStampTests), so a golden file, a
# recording or a scenario file cannot change without `make crosscheck` passing on it.
#   crosscheck-stamp.sh --write   write the stamp for the Fixtures/ of now
#   crosscheck-stamp.sh --check   exit 1, naming what to run, when Fixtures/ changed since the stamp
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=Fixtures/crosschecked.sha256
current() {
    find Fixtures -type f ! -path "$stamp" -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}
case "${1:-}" in
    --write)
        hash=$(current)
        printf '%s\n' "$hash" >"$stamp.tmp" && mv "$stamp.tmp" "$stamp"
        echo "crosscheck-stamp: Fixtures/ cross-checked at $hash" ;;
    --check)
        hash=$(current)
        recorded=$(cat "$stamp" 2>/dev/null || echo none)
        if [ "$hash" != "$recorded" ]; then
            echo "crosscheck-stamp: Fixtures/ changed since the last passing 'make crosscheck' (stamp $recorded, now $hash): run 'make crosscheck', which rewrites $stamp when every cross-check passes" >&2
            exit 1
        fi
        echo "crosscheck-stamp: Fixtures/ matches the last passing make crosscheck" ;;
    *)
        echo "usage: tools/crosscheck-stamp.sh --write|--check" >&2
        exit 64 ;;
esac
