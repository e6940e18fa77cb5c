#!/usr/bin/env bash
# A throwaway PostgreSQL 15 for the measurement scripts: unix socket only, in DIR (default /tmp/msr).
#   throwaway-pg.sh start [DIR]   initdb (once) and start; prints the URL to pass to the scripts
#   throwaway-pg.sh stop [DIR]    stop it (fast shutdown) and remove DIR
# Runs the server as the `postgres` user when called as root (PostgreSQL refuses root).
set -euo pipefail
cmd=${1:?usage: throwaway-pg.sh start|stop [DIR]}
dir=${2:-/tmp/msr}
bin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
port=5499
as_pg() { if [ "$(id -u)" = 0 ]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi; }
case "$cmd" in
start)
    mkdir -p "$dir/s"
    chmod 700 "$dir/s"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" "$dir/s"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C --no-sync --no-instructions >/dev/null
    fi
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -o "-k $dir/s -c listen_addresses= -p $port -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    echo "postgresql://postgres@/postgres?host=$dir/s&port=$port"
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
*) echo "usage: throwaway-pg.sh start|stop [DIR]" >&2; exit 64 ;;
esac
