#!/usr/bin/env bash
# Makes (once) a Python virtual environment for the real test suites in Fixtures/suites (FastAPI with
# async and sync SQLAlchemy, Django with pytest-django), the suites that lampctl watch is checked on;
# prints its python's path.
# Every package it installs is pinned to an exact version, dependencies included, so that every
# machine runs the same code. An existing environment is used only when it holds exactly these
# versions (and nothing else): changing a pin here makes the environment again.
set -euo pipefail
name=suites-venv.sh
cd "$(dirname "$0")/.."
venv=${LAMPCTL_SUITES_VENV:-.build/suites-venv}
pins=(
    "fastapi==0.165.0"
    "starlette==1.10.0"           # fastapi's dependency
    "pydantic==2.14.4"            # fastapi's dependency
    "pydantic-core==2.50.5"       # pydantic's dependency
    "annotated-types==0.8.0"      # pydantic's dependency
    "annotated-doc==0.0.7"        # fastapi's dependency
    "typing-inspection==0.4.5"    # fastapi's and pydantic's dependency
    "opentelemetry-api==1.45.3"   # fastapi's dependency
    "anyio==4.16.0"               # starlette's and httpx's dependency
    "typing-extensions==4.16.0"   # many's dependency
    "httpx==0.29.0"               # fastapi's test client and httpx.AsyncClient
    "httpcore==1.0.9"             # httpx's dependency
    "h11==0.16.0"                 # httpcore's dependency
    "certifi==2026.10.19.post1"   # httpx's dependency
    "idna==3.21"                  # httpx's and anyio's dependency
    "sqlalchemy[asyncio]==2.1.9"
    "greenlet==3.5.6"             # sqlalchemy[asyncio]'s dependency
    "asyncpg==0.32.0"
    "psycopg2-binary==2.9.13"
    "pytest==9.2.0"
    "iniconfig==2.3.1"            # pytest's dependency
    "packaging==26.4"             # pytest's dependency
    "pluggy==1.7.0"               # pytest's dependency
    "pygments==2.21.0"            # pytest's dependency
    "pytest-asyncio==1.5.0"
    "django==5.2.19"
    "asgiref==3.13.0"             # django's dependency
    "sqlparse==0.6.1"             # django's dependency
    "pytest-django==4.14.0"
)
imports="fastapi, httpx, sqlalchemy, greenlet, asyncpg, psycopg2, pytest, pytest_asyncio, django, pytest_django"
. tools/pinned-venv.sh
pinned_venv
