#!/usr/bin/env bash
# Makes (once) a Python virtual environment with the SQLAlchemy the brief measured (2.1.9) and
# its two PostgreSQL drivers (psycopg2, asyncpg), for the cross-check against real SQLAlchemy;
# prints its python's path.
# Every package it installs is pinned to an exact version, dependencies included, so that every
# machine cross-checks against the same code. An existing environment is used only when it holds
# exactly these versions: changing a pin here makes the environment again.
set -euo pipefail
name=sqlalchemy-venv.sh
cd "$(dirname "$0")/.."
venv=${LAMPCTL_SQLALCHEMY_VENV:-.build/sqlalchemy-venv}
pins=(
    "sqlalchemy[asyncio]==2.1.9"
    "psycopg2-binary==2.9.13"
    "asyncpg==0.32.0"
    "greenlet==3.5.6"            # sqlalchemy[asyncio]'s dependency
    "typing_extensions==4.16.0"  # sqlalchemy's dependency
)
imports="sqlalchemy, psycopg2, asyncpg, greenlet"
. tools/pinned-venv.sh
pinned_venv
