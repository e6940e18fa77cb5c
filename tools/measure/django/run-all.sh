#!/usr/bin/env bash
# Runs every Django measurement script against URL and writes their outputs to OUT (default
# /tmp/measure-django-out), one file per script; docs/measurements/django.md quotes them.
#   tools/measure/django/run-all.sh URL [OUT]
# PYTHON picks the interpreter (default: the venv of tools/django-venv.sh). begin_text.py reads
# the server's log: SERVER_LOG (default $LAMPCTL_HOME/server.log, lampctl's embedded server).
set -euo pipefail
url=${1:?usage: run-all.sh URL [OUT]}
out=${2:-/tmp/measure-django-out}
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-$("$here/../../django-venv.sh")}
cd "$here"
mkdir -p "$out"
"$py" -c 'import django, sys; sys.exit(django.get_version() != "5.2.19")' || { echo "need Django 5.2.19" >&2; exit 69; }
for script in autocommit copies querysets refresh atomic select_for_update save snapshot serialization wrappers flush; do
    "$py" "$script.py" "$url" > "$out/$script.txt" 2>&1
done
"$py" begin_text.py "$url" ${SERVER_LOG:+--server-log "$SERVER_LOG"} > "$out/begin_text.txt" 2>&1
echo "outputs in $out"
