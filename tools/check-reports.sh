#!/usr/bin/env bash
# Every built-in's --report and --junit, read by real consumers: each HTML report parsed by a
# strict HTML5 parser (html5lib) and checked for what screen readers need and for anything that
# would leave the file; each JUnit file validated against the Jenkins xunit-plugin JUnit 10 schema
# and read back by junitparser (tools/check-report.py). With --browser, each report is also
# loaded in headless Chromium (/usr/bin/chromium): no console error, no request leaving the file,
# and a full-page screenshot per report in $LAMPCTL_REPORTS_DIR/shots.
#   tools/check-reports.sh [--browser] [--sample]
# --sample: the SQLAlchemy and Django built-ins at one isolation level (what make test runs);
# otherwise every built-in, the replica ones included (on the embedded pair, or $DATABASE_URL and
# $STANDBY_URL), over every isolation level.
# Uses $LAMPCTL_BIN (default .build/debug/lampctl), $PYTHON (default tools/report-venv.sh's);
# writes into $LAMPCTL_REPORTS_DIR (default .build/reports, emptied first).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LAMPCTL_BIN:-.build/debug/lampctl}
PYTHON=${PYTHON:-$(tools/report-venv.sh)}
dir=${LAMPCTL_REPORTS_DIR:-.build/reports}
browser=(); sample=false
for argument in "$@"; do
    case "$argument" in
        --browser) browser=(--browser --screenshots "$dir/shots") ;;
        --sample) sample=true ;;
        *) echo "check-reports.sh: unknown argument '$argument' (usage: tools/check-reports.sh [--browser] [--sample])" >&2; exit 2 ;;
    esac
done
rm -rf "$dir"
mkdir -p "$dir/shots"
started=
cleanup() { if [ -n "$started" ]; then "$bin" db stop >/dev/null; fi; }
trap cleanup EXIT

isolation=all
$sample && isolation=read-committed
count=0
report() {  # report NAME [OPTIONS...]: one built-in's report and JUnit file
    local name=$1
    shift
    "$bin" scenario --fix "$name" --isolation "$isolation" "$@" --report "$dir/$name.html" --junit "$dir/$name.xml" >/dev/null
    count=$((count + 1))
}
for name in $("$bin" scenario --list | awk '{print $1}'); do report "$name"; done
for name in $("$bin" scenario --list --orm django | awk '{print $1}'); do report "$name"; done
if ! $sample; then
    replica=()
    if [ -n "${DATABASE_URL:-}" ] && [ -n "${STANDBY_URL:-}" ]; then
        replica=(--database-url "$DATABASE_URL" --standby-url "$STANDBY_URL")
    else
        "$bin" db start --standby >/dev/null
        started=1
    fi
    # A standby refuses serializable: the replica built-ins run the other two levels.
    isolation=read-committed,repeatable-read
    for name in $("$bin" scenario --list --replica | awk '{print $1}'); do report "$name" --replica "${replica[@]}"; done
fi
"$PYTHON" tools/check-report.py html "${browser[@]}" "$dir"/*.html
"$PYTHON" tools/check-report.py junit "$dir"/*.xml >"$dir/junit.json"
echo "check-reports: $count reports and JUnit files read by html5lib$([ ${#browser[@]} -gt 0 ] && echo ", headless Chromium") and junitparser (schema: JUnit 10); screenshots in $dir/shots"
