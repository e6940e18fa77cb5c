#!/usr/bin/env python3
"""Runs lampctl scenario files with real SQLAlchemy 2.x (sync, psycopg2) and prints the same
JSON Lines as `lampctl scenario --json`, so the two can be diffed (`make crosscheck`).
The runner is tools/xcheck/sqlalchemy_orm.py (`python -m xcheck sqlalchemy`, PYTHONPATH=tools; its
steps are in tools/xcheck/sqlalchemy_steps.py); this script is the same command line under its
old name, which tools/crosscheck.sh, tools/crosscheck-replica.sh and the tests call.

Usage: crosscheck.py DATABASE_URL --grammar GRAMMAR.json [--isolation L,..] [--expire-on-commit true,false] [--stop-at-failed-expect]
                     [--app commit,flush] [--session-driver sync,async] [--fixture RECIPE,..] [--driver psycopg2|asyncpg]
                     [--standby-url STANDBY_URL] FILE.scenario...
       crosscheck.py --grammar GRAMMAR.json        (only check the grammar: exit 2 when lampctl has a
                                                    keyword the runner does not implement)
Needs: pip install 'sqlalchemy>=2,<3' psycopg2-binary (and asyncpg for --driver asyncpg):
tools/sqlalchemy-venv.sh makes that environment.
"""
import sys

from xcheck.sqlalchemy_orm import run  # tools/, this script's directory, is on sys.path

if __name__ == "__main__":
    run(sys.argv[1:], prog="crosscheck.py", home="tools/crosscheck.py")
