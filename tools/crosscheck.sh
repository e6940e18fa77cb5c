#!/usr/bin/env bash
# Runs every built-in and user scenario file through lampctl and through real SQLAlchemy 2.x
# (tools/crosscheck.py) over the whole matrix, once more under every fixture recipe (--fixture all, at read committed),
# and diffs the JSON Lines. Exit 0 when identical.
# The scenario keywords come from lampctl (`scenario --grammar --json`); crosscheck.py refuses to
# run when lampctl has one it does not implement.
# --sample (what make test runs): every built-in over the whole matrix and the user files listed
# in tools/crosscheck-sample.txt, which with the replica sample reach every keyword of the grammar
# (CrosscheckSampleTests); the fixture-recipe and stop-at-failed-expect passes for that sample.
# Uses $DATABASE_URL, else the embedded server (kept running for the duration); $PYTHON, else
# a virtual environment with SQLAlchemy 2.1.9 made by tools/sqlalchemy-venv.sh.
. "$(dirname "$0")/crosscheck-common.sh"
"$PYTHON" tools/crosscheck.py --grammar "$grammar"   # refuses (exit 2) a keyword it does not implement
start_servers
files=()
for name in $("$bin" scenario --list | awk '{print $1}'); do files+=("Fixtures/scenarios/$name.scenario"); done
builtins=${#files[@]}
if [ "${1:-}" = --sample ]; then
    for name in $(sed -e 's/#.*//' tools/crosscheck-sample.txt); do files+=("Fixtures/user-scenarios/$name"); done
else
    files+=(Fixtures/user-scenarios/*.scenario)
fi
fixtures=independent,override-get-db,savepoint-join,rollback-per-test
# lampctl's options and crosscheck.py's for the same cells: the whole matrix; every recipe at read
# committed (the whole matrix under every recipe agrees too, 3253 cases, but takes four times as long).
ours_dims=(--isolation all --expire-on-commit both --app both --driver both)
dims=(--isolation read-committed,repeatable-read,serializable --expire-on-commit false,true --app commit,flush --session-driver sync,async)
ours_recipe_dims=(--isolation read-committed --expire-on-commit both --app both --driver both)
recipe_dims=(--isolation read-committed --expire-on-commit false,true --app commit,flush --session-driver sync,async)
matrix_files=("${files[@]}"); sample_files=(); recipe_files=("${files[@]}")
if [ "${1:-}" = --sample ]; then
    # The built-ins over the whole matrix; the sample's user files (they are there for their
    # keywords: the matrix's settings are the built-ins' part) over both drivers and
    # expire_on_commit values at read committed, and under every recipe in one cell.
    matrix_files=("${files[@]:0:$builtins}"); sample_files=("${files[@]:$builtins}"); recipe_files=("${sample_files[@]}")
    ours_recipe_dims=(--isolation read-committed --expire-on-commit false --app commit --driver sync)
    recipe_dims=(--isolation read-committed --expire-on-commit false --app commit --session-driver sync)
fi
ours_sample_dims=(--isolation read-committed --expire-on-commit both --app commit --driver both)
sample_dims=(--isolation read-committed --expire-on-commit false,true --app commit --session-driver sync,async)
lampctl_cases() {
    for file in "${matrix_files[@]}"; do
        "$bin" scenario --database-url "$url" --file "$file" --json "${ours_dims[@]}"
    done
    for file in ${sample_files[@]+"${sample_files[@]}"}; do
        "$bin" scenario --database-url "$url" --file "$file" --json "${ours_sample_dims[@]}"
    done
    # The fixture recipes (--fixture all): every file again with each recipe's wiring.
    for file in "${recipe_files[@]}"; do
        "$bin" scenario --database-url "$url" --file "$file" --json "${ours_recipe_dims[@]}" --fixture all
    done
    # pytest's behaviour (a case ends at its first failed expect), once per file at the default settings.
    for file in "${files[@]}"; do
        "$bin" scenario --database-url "$url" --file "$file" --json --stop-at-failed-expect
    done
}
produce_ours lampctl_cases
sqlalchemy_cases() {
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" "${dims[@]}" --driver "$1" "${matrix_files[@]}"
    if [ "${#sample_files[@]}" -gt 0 ]; then
        "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" "${sample_dims[@]}" --driver "$1" "${sample_files[@]}"
    fi
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" "${recipe_dims[@]}" --fixture "$fixtures" --driver "$1" "${recipe_files[@]}"
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" --stop-at-failed-expect --driver "$1" "${files[@]}"
}
compare_drivers crosscheck sqlalchemy_cases
exit $status
