# Sourced by tools/crosscheck.sh and tools/crosscheck-replica.sh: the set-up both share.
# Defines bin, PYTHON, ours, theirs, grammar (the grammar tables from lampctl), url (and, after
# `start_servers --standby`, standby), and `compare_drivers NAME PRODUCE [WHAT]`: runs the function
# PRODUCE once per driver in $DRIVERS (default psycopg2 asyncpg) with the driver as argument,
# diffs its output with $ours and says the result; status is 1 when any driver differs;
# `produce_ours FUNCTION` runs lampctl's side beside them.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAMPCTL_BIN:-.build/debug/lampctl}
PYTHON=${PYTHON:-$(tools/sqlalchemy-venv.sh)}
ours=$(mktemp); theirs=$(mktemp); grammar=$(mktemp)
started=
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null || true
    rm -f "$ours" "$theirs" "$theirs".* "$grammar"
    if [ -n "$started" ]; then "$bin" db stop >/dev/null; fi
}
trap cleanup EXIT
"$bin" scenario --grammar --json >"$grammar"

# $DATABASE_URL (and $STANDBY_URL with --standby), else the embedded server (or pair), kept
# running for the duration and stopped on exit.
start_servers() {
    url=${DATABASE_URL:-}; standby=${STANDBY_URL:-}
    if [ -z "$url" ] || { [ "${1:-}" = --standby ] && [ -z "$standby" ]; }; then
        "$bin" db start ${1:-} >/dev/null
        started=1
        url=$("$bin" db url)
        if [ "${1:-}" = --standby ]; then standby=$("$bin" db url --standby); fi
    fi
}

status=0
# `produce_ours FUNCTION`: runs lampctl's side (FUNCTION, writing to stdout) into $ours in the
# background, beside the SQLAlchemy runs compare_drivers starts: the three are independent (each
# run has a schema of its own), so the check takes the time of the slowest, not of the sum.
ours_pid=
produce_ours() {
    "$1" >"$ours" &
    ours_pid=$!
}
# `compare_drivers NAME PRODUCE [WHAT]`: PRODUCE DRIVER once per driver, in parallel, each into a
# file of its own; then, once lampctl's side is done too, each is diffed with $ours.
compare_drivers() {
    local name=$1 produce=$2 what=${3:-cases} driver version
    local -A pids=()
    version=$("$PYTHON" -c "import sqlalchemy; print(sqlalchemy.__version__)")
    for driver in ${DRIVERS:-psycopg2 asyncpg}; do
        "$produce" "$driver" >"$theirs.$driver" &
        pids[$driver]=$!
        # One at a time where the runs share a server-wide state (a standby's paused replay).
        if [ -n "${one_driver_at_a_time:-}" ]; then wait "${pids[$driver]}" && pids[$driver]=; fi
    done
    if [ -n "$ours_pid" ] && ! wait "$ours_pid"; then
        echo "$name: lampctl's side failed" >&2
        status=1
    fi
    for driver in ${DRIVERS:-psycopg2 asyncpg}; do
        if [ -n "${pids[$driver]}" ] && ! wait "${pids[$driver]}"; then
            echo "$name: the SQLAlchemy side failed with $driver" >&2
            status=1
        elif diff -u "$theirs.$driver" "$ours"; then
            echo "$name: $(wc -l <"$ours") $what identical to SQLAlchemy $version ($driver)"
        else
            echo "$name: lampctl differs from SQLAlchemy $version with $driver (- SQLAlchemy, + lampctl)" >&2
            status=1
        fi
    done
}
