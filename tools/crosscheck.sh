#!/usr/bin/env bash
# Runs every built-in and user scenario file through lampctl and through real SQLAlchemy 2.x
# (tools/crosscheck.py) over the whole matrix, once more under every fixture recipe (--fixture all, at read committed),
# and diffs the JSON Lines. Exit 0 when identical.
# The scenario keywords come from lampctl (`scenario --grammar --json`); crosscheck.py refuses to
# run when lampctl has one it does not implement.
# Uses $DATABASE_URL, else the embedded server (kept running for the duration); $PYTHON, else
# a virtual environment with SQLAlchemy 2.1.9 made by tools/sqlalchemy-venv.sh.
. "$(dirname "$0")/crosscheck-common.sh"
"$PYTHON" tools/crosscheck.py --grammar "$grammar"   # refuses (exit 2) a keyword it does not implement
start_servers
files=()
for name in $("$bin" scenario --list | awk '{print $1}'); do files+=("Fixtures/scenarios/$name.scenario"); done
files+=(Fixtures/user-scenarios/*.scenario)
fixtures=independent,override-get-db,savepoint-join,rollback-per-test
fixture_dims=(--isolation read-committed --expire-on-commit false,true --app commit,flush --session-driver sync,async)
dims=(--isolation read-committed,repeatable-read,serializable --expire-on-commit false,true --app commit,flush --session-driver sync,async)
for file in "${files[@]}"; do
    "$bin" scenario --database-url "$url" --file "$file" --json --isolation all --expire-on-commit both --app both --driver both >>"$ours"
done
# The fixture recipes (--fixture all): every file again with each recipe's wiring, at read committed
# (the whole matrix under every recipe agrees too, 3253 cases, but takes four times as long).
for file in "${files[@]}"; do
    "$bin" scenario --database-url "$url" --file "$file" --json --isolation read-committed --expire-on-commit both --app both --driver both --fixture all >>"$ours"
done
# pytest's behaviour (a case ends at its first failed expect), once per file at the default settings.
for file in "${files[@]}"; do
    "$bin" scenario --database-url "$url" --file "$file" --json --stop-at-failed-expect >>"$ours"
done
sqlalchemy_cases() {
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" "${dims[@]}" --driver "$1" "${files[@]}"
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" "${fixture_dims[@]}" --fixture "$fixtures" --driver "$1" "${files[@]}"
    "$PYTHON" tools/crosscheck.py "$url" --grammar "$grammar" --stop-at-failed-expect --driver "$1" "${files[@]}"
}
compare_drivers crosscheck sqlalchemy_cases
exit $status
