#!/usr/bin/env bash
# Makes (once) a Python virtual environment with Django 5.2 LTS (the newest 5.2.x release) and
# psycopg2, for the Django cross-check (tools/xcheck) and the Django measurements
# (tools/measure/django); prints its python's path.
# Every package it installs is pinned to an exact version, dependencies included, so that every
# machine cross-checks against the same code. An existing environment is used only when it holds
# exactly these versions (and nothing else): changing a pin here makes the environment again.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${LAMPCTL_DJANGO_VENV:-.build/django-venv}
pins=(
    "django==5.2.19"
    "psycopg2-binary==2.9.13"
    "asgiref==3.13.0"   # django's dependency
    "sqlparse==0.6.1"   # django's dependency
)
# True when the installed distributions are exactly the pinned ones at their pinned versions
# (pip, setuptools and wheel, which the venv brings, aside) and the modules import.
installed() {
    "$venv/bin/python" - "${pins[@]}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import distributions
import django, psycopg2, asgiref, sqlparse
want = {pin.split("==")[0].lower(): pin.split("==")[1] for pin in sys.argv[1:]}
have = {d.metadata["Name"].lower().replace("_", "-"): d.version for d in distributions()}
for tool in ("pip", "setuptools", "wheel"):
    have.pop(tool, None)
sys.exit(have != want)
PY
}
if ! installed; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps "${pins[@]}" >&2
    check=$("$venv/bin/python" -m pip check 2>&1) || { echo "django-venv.sh: the pins miss a dependency: $check" >&2; exit 1; }
    installed || { echo "django-venv.sh: $venv does not hold exactly the pinned versions after pip install" >&2; exit 1; }
fi
echo "$(cd "$venv" && pwd)/bin/python"
