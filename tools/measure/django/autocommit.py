#!/usr/bin/env python3
"""Django's default: autocommit. Each statement outside atomic() is its own transaction (no
BEGIN, committed at once); OPTIONS isolation_level only reaches transactions atomic() opens.

Usage: autocommit.py DATABASE_URL [--case NAME]
"""
import psycopg2.extensions as ext
from common import attempt, fresh, main, note, set_isolation


def autocommit_by_default():
    """create() outside atomic: INSERT with no BEGIN; a brand-new connection sees it at once."""
    from django.db import connection, transaction
    from lampapp.models import Lamp
    note("get_autocommit() before any query", transaction.get_autocommit())
    lamp = Lamp.objects.create()
    note("psycopg2 connection.autocommit", connection.connection.autocommit)
    note("in_atomic_block", connection.in_atomic_block)
    note("a brand-new connection reads", fresh(lamp.pk))


def isolation_level_outside_atomic():
    """OPTIONS isolation_level = SERIALIZABLE: what transaction_isolation a statement runs at, outside and inside atomic()."""
    from django.db import connection, transaction
    set_isolation(ext.ISOLATION_LEVEL_SERIALIZABLE)

    def level():
        with connection.cursor() as cur:
            cur.execute("SHOW transaction_isolation")
            return cur.fetchone()[0]
    attempt("outside atomic (autocommit)", level)
    with transaction.atomic():
        attempt("inside atomic", level)
    attempt("outside again", level)


if __name__ == "__main__":
    main([autocommit_by_default, isolation_level_outside_atomic])
