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
name=report-venv.sh
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
imports="html5lib, junitparser, xmlschema, websocket"
# The schema, in the environment, with its pinned sha256.
extra_installed() {
    echo "$xsd_sha256  $venv/share/junit-10.xsd" | sha256sum --check --status 2>/dev/null
}
extra_make() {
    "$venv/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
        -d "$venv/sdist" "$xsd_sdist" >&2
    mkdir -p "$venv/share"
    tar -xzf "$venv/sdist/${xsd_sdist/==/-}.tar.gz" -O "$xsd_member" >"$venv/share/junit-10.xsd"
    rm -rf "$venv/sdist"
    extra_installed || { echo "$name: $xsd_member from $xsd_sdist does not have the pinned sha256" >&2; exit 1; }
}
. tools/pinned-venv.sh
pinned_venv
