#!/usr/bin/env bash
# Makes (once) a Python virtual environment with the SQLAlchemy the brief measured (2.1.9) and
# its two PostgreSQL drivers (psycopg2, asyncpg), for the cross-check against real SQLAlchemy;
# prints its python's path.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${LAMPCTL_SQLALCHEMY_VENV:-.build/sqlalchemy-venv}
want="2.1.9"
if ! "$venv/bin/python" -c "import sqlalchemy, psycopg2, asyncpg, greenlet, sys; sys.exit(sqlalchemy.__version__ != '$want')" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "sqlalchemy[asyncio]==$want" psycopg2-binary asyncpg >&2
fi
echo "$(cd "$venv" && pwd)/bin/python"
