#!/usr/bin/env bash
# Runs every Django built-in (Fixtures/django-scenarios) and Django user scenario file
# (Fixtures/django-user-scenarios) through lampctl (`scenario --orm django`) and through real
# Django (tools/xcheck) over the whole matrix (the four isolation levels x the four test
# wrappers), once more with --stop-at-failed-expect at the default settings, and diffs the JSON
# Lines. Exit 0 when identical.
# The scenario keywords come from lampctl (`scenario --grammar --json --orm django`); the runner
# refuses to run (exit 2) when lampctl has one it does not implement.
# --sample: the built-ins and the user files listed in tools/crosscheck-django-sample.txt (which
# with the built-ins use every keyword, argument, setting value, role and wrapper of
# docs/django-semantics.md), the same passes; well under 30 s.
# Uses $DATABASE_URL, else the embedded server (started if need be, and then stopped at the end); $PYTHON, else
# the virtual environment with Django 5.2.19 made by tools/django-venv.sh; $LAMPCTL_BIN, else
# .build/debug/lampctl.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAMPCTL_BIN:-.build/debug/lampctl}
PYTHON=${PYTHON:-$(tools/django-venv.sh)}
ours=$(mktemp); theirs=$(mktemp); grammar=$(mktemp)
started=
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null || true
    rm -f "$ours" "$theirs" "$grammar"
    if [ -n "$started" ]; then "$bin" db stop >/dev/null; fi
}
trap cleanup EXIT
xcheck() { PYTHONPATH=tools "$PYTHON" -m xcheck django "$@"; }
"$bin" scenario --grammar --json --orm django >"$grammar"
xcheck --grammar "$grammar"   # refuses (exit 2) a keyword it does not implement

url=${DATABASE_URL:-}
if [ -z "$url" ]; then
    if ! "$bin" db status >/dev/null 2>&1; then   # stopped on exit only when this script started it
        "$bin" db start >/dev/null
        started=1
    fi
    url=$("$bin" db url)
fi

files=(Fixtures/django-scenarios/*.scenario)
if [ "${1:-}" = --sample ]; then
    for name in $(sed -e 's/#.*//' tools/crosscheck-django-sample.txt); do files+=("Fixtures/django-user-scenarios/$name"); done
else
    files+=(Fixtures/django-user-scenarios/*.scenario)
fi
# The same cells on both sides: lampctl's `all`s, spelled out for the runner in lampctl's order.
isolations=read-committed,repeatable-read,serializable,server-default
wrappers=live-server,test-case,test-case-live-server,transaction-test-case

lampctl_cases() {
    for file in "${files[@]}"; do
        "$bin" scenario --orm django --database-url "$url" --file "$file" --json --isolation "$isolations" --fixture "$wrappers"
    done
    # pytest's behaviour (a case ends at its first failed expect), once per file at the default settings.
    for file in "${files[@]}"; do
        "$bin" scenario --orm django --database-url "$url" --file "$file" --json --stop-at-failed-expect
    done
}
django_cases() {
    xcheck "$url" --grammar "$grammar" --isolation "$isolations" --fixture "$wrappers" "${files[@]}"
    xcheck "$url" --grammar "$grammar" --stop-at-failed-expect "${files[@]}"
}
# The two sides are independent (each run has a schema of its own): run them side by side.
lampctl_cases >"$ours" &
ours_pid=$!
status=0
if ! django_cases >"$theirs"; then
    echo "crosscheck-django: the Django side failed" >&2
    status=1
fi
if ! wait "$ours_pid"; then
    echo "crosscheck-django: lampctl's side failed" >&2
    status=1
fi
version=$("$PYTHON" -c "import django; print(django.get_version())")
if [ "$status" = 0 ]; then
    if diff -u "$theirs" "$ours"; then
        echo "crosscheck-django: $(wc -l <"$ours") cases identical to Django $version"
    else
        echo "crosscheck-django: lampctl differs from Django $version (- Django, + lampctl)" >&2
        status=1
    fi
fi
exit $status
