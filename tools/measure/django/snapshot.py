#!/usr/bin/env python3
"""Repeatable read inside atomic(): the snapshot is taken at the block's first query, not when the
block is entered; every read after it (get, refresh_from_db, a raw cursor) sees that snapshot; at
read committed each statement sees what was committed before it.

Usage: snapshot.py DATABASE_URL [--case NAME]
"""
import psycopg2.extensions as ext
from common import main, note, request, sees, set_isolation


def reads(lamp, label):
    from lampapp.models import Lamp
    note(f"{label}: get / refresh_from_db / cursor",
         (Lamp.objects.get(pk=lamp.pk).status, (lamp.refresh_from_db(), lamp.status)[1], sees(lamp.pk)))


def repeatable_read_snapshot_at_first_query():
    """REPEATABLE READ: enter atomic; the app commits 'on' (before any query in the block); get; the app commits delete... of lamp b."""
    from django.db import transaction
    from lampapp.models import Lamp
    set_isolation(ext.ISOLATION_LEVEL_REPEATABLE_READ)
    a, b = Lamp.objects.create(), Lamp.objects.create()
    with transaction.atomic():
        request("switch_on", a.pk)
        note("--- first query in the block (takes the snapshot)", "")
        reads(a, "lamp a, switched on before the first query")
        request("switch_on", b.pk)
        reads(b, "lamp b, switched on after it")
    reads(b, "lamp b after the block")


def read_committed_in_atomic():
    """READ COMMITTED (OPTIONS): atomic; get; the app commits 'on'; get / refresh / cursor."""
    from django.db import transaction
    from lampapp.models import Lamp
    set_isolation(ext.ISOLATION_LEVEL_READ_COMMITTED)
    lamp = Lamp.objects.create()
    with transaction.atomic():
        Lamp.objects.get(pk=lamp.pk)
        request("switch_on", lamp.pk)
        reads(lamp, "after the app's commit")


if __name__ == "__main__":
    main([repeatable_read_snapshot_at_first_query, read_committed_in_atomic])
