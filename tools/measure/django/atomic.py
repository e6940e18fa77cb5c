#!/usr/bin/env python3
"""transaction.atomic(): the outermost block turns autocommit off (psycopg2 sends BEGIN with the
next statement) and commits or rolls back at its end; a nested block is a savepoint, released
or rolled back to. Leaving a block by an exception rolls it back.

Usage: atomic.py DATABASE_URL [--case NAME]
"""
from common import fresh, main, note


def outermost_and_nested():
    """atomic(): get; atomic(): save 'on'; end both normally."""
    from django.db import connection, transaction
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    note("--- enter the outer block", "")
    outer = transaction.atomic()
    outer.__enter__()
    note("get_autocommit() / in_atomic_block (nothing sent yet)", (connection.get_autocommit(), connection.in_atomic_block))
    Lamp.objects.get(pk=lamp.pk)
    note("--- enter the nested block", "")
    with transaction.atomic():
        lamp.status = "on"
        lamp.save()
        note("--- leave the nested block", "")
    note("a brand-new connection reads (outer block still open)", fresh(lamp.pk))
    note("--- leave the outer block", "")
    outer.__exit__(None, None, None)
    note("a brand-new connection reads", fresh(lamp.pk))


def nested_left_by_exception():
    """atomic(): atomic(): save 'on', raise; caught outside the nested block; end the outer normally."""
    from django.db import transaction
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    with transaction.atomic():
        Lamp.objects.get(pk=lamp.pk)
        try:
            with transaction.atomic():
                lamp.status = "on"
                lamp.save()
                raise RuntimeError
        except RuntimeError:
            pass
        note("lamp.status after the nested rollback (memory)", repr(lamp.status))
    note("a brand-new connection reads", fresh(lamp.pk))


def outermost_left_by_exception():
    """atomic(): save 'on', raise; caught outside."""
    from django.db import transaction
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    try:
        with transaction.atomic():
            lamp.status = "on"
            lamp.save()
            raise RuntimeError
    except RuntimeError:
        pass
    note("a brand-new connection reads", fresh(lamp.pk))


def block_without_query():
    """atomic() entered and left with no query in it."""
    from django.db import transaction
    with transaction.atomic():
        pass
    note("sent", "nothing (psycopg2 opens a transaction only with a statement)")


if __name__ == "__main__":
    main([outermost_and_nested, nested_left_by_exception, outermost_left_by_exception, block_without_query])
