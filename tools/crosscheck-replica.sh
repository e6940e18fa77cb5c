#!/usr/bin/env bash
# The replica built-ins (`lampctl scenario --replica`) and the files in Fixtures/replica-user-scenarios
# over their whole matrix, through lampctl and through real SQLAlchemy 2.x (tools/crosscheck.py
# --standby-url: the test's Session on a second engine, the standby's), with psycopg2 and asyncpg;
# diffs the JSON Lines. Exit 0 when identical.
# replay_lag_ms and commit_ms are measured, so they are compared bucketed, not exactly:
# replay_lag_ms as measured or null; commit_ms as null, "< 200 ms" or ">= 200 ms" (a COMMIT that
# waited for the standby's replay, with the 400 ms delay, against one that did not).
# --sample: one cell of the matrix (see below).
# Uses $DATABASE_URL and $STANDBY_URL (a hot standby of it), else the embedded pair (kept running
# for the duration); $PYTHON, else tools/sqlalchemy-venv.sh's environment.
. "$(dirname "$0")/crosscheck-common.sh"
start_servers --standby
builtins=($("$bin" scenario --replica --list | awk '{print $1}'))
user_files=(Fixtures/replica-user-scenarios/*.scenario)
# PostgreSQL refuses serializable on a standby: lampctl's `all` runs the other two levels. Lines
# are sorted on both sides (lampctl runs the matrix in its own order).
matrix=(--isolation read-committed,repeatable-read --expire-on-commit both --app both --driver both)
dims=(--isolation read-committed,repeatable-read --expire-on-commit false,true --app commit,flush --session-driver sync,async)
# A COMMIT that waited for the standby's replay (remote_apply) against one that did not.
delay=400ms; commit_threshold=200
# --sample (what make test runs, beside the other tests on a loaded machine): one cell of the
# matrix, the user files (their replay is paused: deterministic) and the built-ins for the
# keywords they alone have (sticky=, remote_apply), with a 2 s replay delay, so that no step of a
# slow run outlasts the delay that makes the read stale.
if [ "${1:-}" = --sample ]; then
    matrix=(--isolation read-committed --expire-on-commit false --app commit --driver sync)
    dims=(--isolation read-committed --expire-on-commit false --app commit --session-driver sync)
    builtins=(replica-sticky-window replica-remote-apply)
    delay=2s; commit_threshold=1000
fi
files=()
for name in "${builtins[@]}"; do files+=("Fixtures/scenarios/$name.scenario"); done
files+=("${user_files[@]}")
# The measured fields, bucketed (the same filter on both sides).
bucket() {
    THRESHOLD=$commit_threshold "$PYTHON" -c '
import json, os, sys
threshold = int(os.environ["THRESHOLD"])
for line in sys.stdin:
    case = json.loads(line)
    if case.get("replay_lag_ms") is not None: case["replay_lag_ms"] = "measured"
    if case.get("commit_ms") is not None: case["commit_ms"] = f">= {threshold} ms" if case["commit_ms"] >= threshold else f"< {threshold} ms"
    print(json.dumps(case))' | sort
}
# lampctl first, alone: it sets the standby's replay delay the SQLAlchemy runs then rely on (one
# at a time: the standby replays for every run alike, so parallel runs would not change the waits).
# The built-ins through --replica (replica-read-primary reads the primary: as a file of its own,
# --standby-url would be refused as unused).
{
    "$bin" scenario --replica --fix "$(IFS=,; echo "${builtins[*]}")" --database-url "$url" --standby-url "$standby" \
        --replay-delay "$delay" --json "${matrix[@]}"
    for file in "${user_files[@]}"; do
        "$bin" scenario --file "$file" --database-url "$url" --standby-url "$standby" --replay-delay "$delay" --json "${matrix[@]}"
    done
} | bucket >"$ours"
sqlalchemy_cases() {
    "$PYTHON" tools/crosscheck.py "$url" --standby-url "$standby" --grammar "$grammar" "${dims[@]}" --driver "$1" "${files[@]}" | bucket
}
# pause-replay pauses the one standby for every connection: the drivers take turns.
one_driver_at_a_time=1
compare_drivers crosscheck-replica sqlalchemy_cases "replica cases"
exit $status
