#!/usr/bin/env bash
# Runs every measurement script against URL, sync and async, and writes their outputs to OUT
# (default /tmp/measure-out), one file per table of docs/measurements/sqlalchemy-test-suites.md.
#   tools/measure/run-all.sh URL [OUT]      (PYTHON=... picks the interpreter; it needs SQLAlchemy 2.1.9,
#                                            psycopg2-binary, asyncpg)
set -euo pipefail
url=${1:?usage: run-all.sh URL [OUT]}
out=${2:-/tmp/measure-out}
py=${PYTHON:-python3}
cd "$(dirname "$0")"
mkdir -p "$out"
"$py" -c 'import sqlalchemy, sys; sys.exit(sqlalchemy.__version__ != "2.1.9")' || { echo "need SQLAlchemy 2.1.9" >&2; exit 69; }
"$py" async_expiry.py "$url" > "$out/async_expiry.txt" 2>&1
"$py" objects.py "$url" > "$out/objects.txt" 2>&1
"$py" deadlock.py "$url" > "$out/deadlock.txt" 2>&1
"$py" fuzz_seeds.py "$url" > "$out/fuzz_seeds.txt" 2>&1
"$py" fixtures.py "$url" > "$out/fixtures.txt" 2>&1
"$py" layers.py "$url" > "$out/layers.txt" 2>&1
"$py" fixtures.py "$url" --recipe independent --eoc true > "$out/fixtures-independent-eoc.txt" 2>&1
"$py" fixtures.py "$url" --recipe independent --isolation repeatable-read > "$out/fixtures-independent-rr.txt" 2>&1
"$py" fixtures.py "$url" --recipe create_savepoint --eoc true > "$out/fixtures-savepoint-eoc.txt" 2>&1
for r in independent create_savepoint rollback_only; do
    "$py" fixtures.py "$url" --recipe $r --no-step2 > "$out/fixtures-$r-no-step2.txt" 2>&1
done
for f in fixtures fixtures-independent-eoc fixtures-independent-rr fixtures-savepoint-eoc \
         fixtures-independent-no-step2 fixtures-create_savepoint-no-step2 fixtures-rollback_only-no-step2; do
    grep -h '^RESULT' "$out/$f.txt"
done > "$out/RESULTS.txt"
echo "outputs in $out ($(wc -l < "$out/RESULTS.txt") fixture results)"
