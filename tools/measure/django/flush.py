#!/usr/bin/env python3
"""What TransactionTestCase's teardown flush sends for `lamps`: the same call_command("flush", ...)
its _fixture_teardown makes, with the contract's unmanaged Lamp and with Lamp managed. flush
truncates only the tables of managed models (introspection.django_table_names skips unmanaged
ones), so with an unmanaged Lamp the rows survive the teardown.

Usage: flush.py DATABASE_URL [--case NAME]
"""
from common import fresh, main, note


def teardown_flush():
    """TransactionTestCase._fixture_teardown's call, for the database 'default'."""
    from django.core.management import call_command
    call_command("flush", verbosity=0, interactive=False, database="default", reset_sequences=False,
                 allow_cascade=False, inhibit_post_migrate=False)


def flush_unmanaged():
    """Lamp unmanaged (Meta.managed = False, the contract's model)."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create(status="on")
    teardown_flush()
    note("a brand-new connection reads after flush", fresh(lamp.pk))


def flush_managed():
    """Lamp managed (Meta.managed = True; the table is still the run's own, no migration)."""
    from lampapp.models import Lamp
    Lamp._meta.managed = True
    try:
        lamp = Lamp.objects.create(status="on")
        teardown_flush()
        note("a brand-new connection reads after flush", fresh(lamp.pk))
        note("the next create's pk (sequences are not reset)", Lamp.objects.create().pk)
    finally:
        Lamp._meta.managed = False


if __name__ == "__main__":
    main([flush_unmanaged, flush_managed])
