#!/usr/bin/env python3
"""What a serialization failure surfaces as under Django: the test, in atomic() at repeatable read
or serializable, saves (UPDATE) a row the app changed or deleted after the test's snapshot.
Also a cancelled statement and a deadlock's class, for the runner's error kinds.

Usage: serialization.py DATABASE_URL [--case NAME]
"""
import psycopg2.extensions as ext
from common import attempt, fresh, main, note, request, set_isolation


def update_after_concurrent(level, app_step):
    from django.db import connection, transaction
    from lampapp.models import Lamp
    set_isolation(level)
    lamp = Lamp.objects.create()
    try:
        with transaction.atomic():
            lamp = Lamp.objects.get(pk=lamp.pk)
            request(app_step, lamp.pk)
            _, exc = attempt("lamp.save()", lamp.save)
            if exc is not None:
                note("exception MRO", " < ".join(f"{c.__module__}.{c.__qualname__}" for c in type(exc).__mro__[:4]))
                note("needs_rollback", connection.needs_rollback)
                raise exc
    except Exception as exc:  # noqa: BLE001
        note("left the block by", type(exc).__qualname__)
    note("a brand-new connection reads", fresh(lamp.pk))


def repeatable_read_concurrent_update():
    """REPEATABLE READ: atomic: get (snapshot); the app commits 'on'; save."""
    update_after_concurrent(ext.ISOLATION_LEVEL_REPEATABLE_READ, "switch_on")


def serializable_concurrent_update():
    """SERIALIZABLE: atomic: get (snapshot); the app commits 'on'; save."""
    update_after_concurrent(ext.ISOLATION_LEVEL_SERIALIZABLE, "switch_on")


def repeatable_read_concurrent_delete():
    """REPEATABLE READ: atomic: get (snapshot); the app deletes the row; save."""
    update_after_concurrent(ext.ISOLATION_LEVEL_REPEATABLE_READ, "delete")


def read_committed_concurrent_delete():
    """READ COMMITTED: atomic: get; the app deletes the row; save (UPDATE 0 rows, then INSERT)."""
    update_after_concurrent(ext.ISOLATION_LEVEL_READ_COMMITTED, "delete")


if __name__ == "__main__":
    main([repeatable_read_concurrent_update, serializable_concurrent_update, repeatable_read_concurrent_delete,
          read_committed_concurrent_delete])
