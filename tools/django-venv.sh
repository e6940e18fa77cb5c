#!/usr/bin/env bash
# Makes (once) a Python virtual environment with Django 5.2 LTS (the newest 5.2.x release) and
# psycopg2, for the Django cross-check (tools/xcheck) and the Django measurements
# (tools/measure/django); prints its python's path.
# Every package it installs is pinned to an exact version, dependencies included, so that every
# machine cross-checks against the same code. An existing environment is used only when it holds
# exactly these versions (and nothing else): changing a pin here makes the environment again.
set -euo pipefail
name=django-venv.sh
cd "$(dirname "$0")/.."
venv=${LAMPCTL_DJANGO_VENV:-.build/django-venv}
pins=(
    "django==5.2.19"
    "psycopg2-binary==2.9.13"
    "asgiref==3.13.0"   # django's dependency
    "sqlparse==0.6.1"   # django's dependency
)
imports="django, psycopg2, asgiref, sqlparse"
. tools/pinned-venv.sh
pinned_venv
