# Sourced by tools/crosscheck.sh and tools/crosscheck-replica.sh: the set-up both share.
# Defines bin, PYTHON, ours, theirs, grammar (the grammar tables from lampctl), url (and, after
# `start_servers --standby`, standby), and `compare_drivers NAME PRODUCE [WHAT]`: runs the function
# PRODUCE once per driver in $DRIVERS (default psycopg2 asyncpg) with the driver as argument,
# diffs its output with $ours and says the result; status is 1 when any driver differs.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAMPCTL_BIN:-.build/debug/lampctl}
PYTHON=${PYTHON:-$(tools/sqlalchemy-venv.sh)}
ours=$(mktemp); theirs=$(mktemp); grammar=$(mktemp)
started=
cleanup() { rm -f "$ours" "$theirs" "$grammar"; if [ -n "$started" ]; then "$bin" db stop >/dev/null; fi; }
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
compare_drivers() {
    local name=$1 produce=$2 what=${3:-cases} driver version
    version=$("$PYTHON" -c "import sqlalchemy; print(sqlalchemy.__version__)")
    for driver in ${DRIVERS:-psycopg2 asyncpg}; do
        "$produce" "$driver" >"$theirs"
        if diff -u "$theirs" "$ours"; then
            echo "$name: $(wc -l <"$ours") $what identical to SQLAlchemy $version ($driver)"
        else
            echo "$name: lampctl differs from SQLAlchemy $version with $driver (- SQLAlchemy, + lampctl)" >&2
            status=1
        fi
    done
}
