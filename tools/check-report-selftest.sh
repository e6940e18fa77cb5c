#!/usr/bin/env bash
# Proves that tools/check-report.py passes good files and fails bad ones for the right reason:
# writes, in a temporary folder, a good self-contained HTML5 report and four bad ones (an
# outside <img>, a console.error, no lang, a misnested tag), a good JUnit file and three bad
# ones (<properties> in a <testcase>, no tests attribute, counts that are not its cases'), runs
# the checker on them (html with --browser and --screenshots) and checks each outcome.
# Uses $PYTHON, else the virtual environment made by tools/report-venv.sh. Exit 0 when all pass.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-$(tools/report-venv.sh)}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0 failed=0
check() {  # WHAT COMMAND...: counts a pass when COMMAND succeeds, else a failure
    local what=$1
    shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $what" >&2; fi
}

cat >"$dir/good.html" <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Scenario report</title>
<style>
body { font-family: sans-serif; margin: 2em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888; padding: 0.3em 0.6em; }
.failed { background: #fdd url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='8' height='8'/%3E"); }
</style>
</head>
<body>
<h1 id="top">Scenario report</h1>
<svg role="img" width="240" height="60" viewBox="0 0 240 60" xmlns="http://www.w3.org/2000/svg">
<title>2 passed, 1 failed</title>
<rect x="0" y="10" width="160" height="40" fill="#3a3"/>
<rect x="160" y="10" width="80" height="40" fill="#c33"/>
</svg>
<table>
<caption>Scenarios</caption>
<thead><tr><th scope="col">Scenario</th><th scope="col">Result</th></tr></thead>
<tbody>
<tr><th scope="row">deadlock</th><td>passed</td></tr>
<tr><th scope="row">lost update</th><td class="failed">failed</td></tr>
</tbody>
</table>
<p><img alt="" src="data:image/gif;base64,R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs="> <a href="#top">Top</a></p>
</body>
</html>
HTML
# The outside image keeps the CSP, so Chromium blocks it (the checker's proxy would refuse it).
sed 's|<p><img alt=""|<p><img alt="" src="https://example.com/x.png"><img alt=""|' \
    "$dir/good.html" >"$dir/bad-img.html"
sed -e '/Content-Security-Policy/d' -e 's|</body>|<script>console.error("x")</script>\n</body>|' \
    "$dir/good.html" >"$dir/bad-console.html"
sed 's|<html lang="en">|<html>|' "$dir/good.html" >"$dir/bad-lang.html"
sed 's|<h1 id="top">Scenario report</h1>|<h1 id="top"><em>Scenario report</h1></em>|' \
    "$dir/good.html" >"$dir/bad-parse.html"

mkdir "$dir/tmp"  # where Chromium's files go, to see that they are removed
status=0
out=$(TMPDIR="$dir/tmp" "$PYTHON" tools/check-report.py html --browser --screenshots "$dir/shots" \
    "$dir"/good.html "$dir"/bad-*.html) || status=$?
echo "$out"
check "html exits 1 (it exited $status)" [ "$status" = 1 ]
check "good.html is ok" grep -qxF "ok $dir/good.html screenshot $dir/shots/good.png" <<<"$out"
check "good.png is a PNG" [ "$(head -c 8 "$dir/shots/good.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
check "good.png is more than a blank page" [ "$(stat -c %s "$dir/shots/good.png")" -gt 5000 ]
check "Chromium's files are removed" [ -z "$(ls -A "$dir/tmp")" ]
fails_for() {  # FILE REGEX...: FILE fails with a line matching each REGEX, and with no other line
    local name=$1 lines others
    shift
    lines=$(grep -F "FAIL $dir/$name: " <<<"$out" | sed "s|^FAIL $dir/$name: ||") || true
    for regex in "$@"; do
        check "$name fails with /$regex/" grep -qE "$regex" <<<"$lines"
    done
    others=$(grep -vE "$(IFS='|'; echo "$*")" <<<"$lines") || true
    check "$name fails for nothing else, not for: $others" [ -z "$others" ]
}
fails_for bad-img.html '^<img src="https://example.com/x.png"> refers outside the file$' \
    '^requests https://example.com/x.png$' '^browser security error: .*Content Security Policy'
fails_for bad-console.html '^console.error: x$'
fails_for bad-lang.html '^<html> has no lang$'
fails_for bad-parse.html '^html5lib: line 15 column [0-9]+: End tag \(h1\)'

cat >"$dir/good.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="lampctl scenario" tests="3" failures="1" errors="1" time="0.042">
  <testsuite name="deadlock" tests="3" failures="1" errors="1" skipped="0" time="0.042">
    <properties>
      <property name="isolation" value="read committed"/>
    </properties>
    <testcase name="both commit" classname="deadlock" time="0.010">
      <system-out>T1: BEGIN</system-out>
    </testcase>
    <testcase name="one is rolled back" classname="deadlock" time="0.020">
      <failure message="expected error 1213" type="expect">step 4</failure>
    </testcase>
    <testcase name="server answers" classname="deadlock" time="0.012">
      <error message="connection lost"/>
    </testcase>
  </testsuite>
</testsuites>
XML
sed 's|<system-out>T1: BEGIN</system-out>|<properties><property name="p" value="v"/></properties>|' \
    "$dir/good.xml" >"$dir/bad-props.xml"
sed 's|name="deadlock" tests="3"|name="deadlock"|' "$dir/good.xml" >"$dir/bad-notests.xml"
sed 's|name="deadlock" tests="3" failures="1"|name="deadlock" tests="2" failures="0"|' \
    "$dir/good.xml" >"$dir/bad-count.xml"

status=0
"$PYTHON" tools/check-report.py junit "$dir/good.xml" >"$dir/good.json" || status=$?
check "junit passes good.xml (it exited $status)" [ "$status" = 0 ]
check "junit reads good.xml back as written" "$PYTHON" - "$dir/good.json" <<'PY'
import json, sys
[file] = json.load(open(sys.argv[1]))["files"]
[suite] = file["suites"]
assert (suite["name"], suite["tests"], suite["failures"], suite["errors"]) == ("deadlock", 3, 1, 1)
assert suite["properties"] == {"isolation": "read committed"}
assert [(case["result"], case["message"], case["text"], case["system_out"])
        for case in suite["cases"]] == [("passed", None, None, "T1: BEGIN"),
                                        ("failure", "expected error 1213", "step 4", None),
                                        ("error", "connection lost", None, None)]
PY
for bad in "bad-props.xml:Unexpected child with tag 'properties'" \
           "bad-notests.xml:missing required attribute 'tests'" \
           "bad-count.xml:declares tests 2 \(its cases make 3\), failures 0 \(its cases make 1\)"; do
    status=0
    "$PYTHON" tools/check-report.py junit "$dir/${bad%%:*}" >/dev/null 2>"$dir/err" || status=$?
    cat "$dir/err"
    check "junit exits 1 on ${bad%%:*} (it exited $status)" [ "$status" = 1 ]
    check "junit fails ${bad%%:*} with /${bad#*:}/" grep -qE "${bad#*:}" "$dir/err"
done
echo "check-report-selftest: $passed passed, $failed failed"
[ "$failed" = 0 ]
