#!/usr/bin/env python3
"""refresh_from_db(): a SELECT by key now, its values written onto the same instance;
refresh_from_db(fields=["status"]) selects only that field (and the key); a missing row raises.

Usage: refresh.py DATABASE_URL [--case NAME]
"""
from common import attempt, main, note, request


def refresh_all_fields():
    """The app commits 'on'; lamp.refresh_from_db()."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    before = id(lamp)
    request("switch_on", lamp.pk)
    lamp.refresh_from_db()
    note("lamp.status", repr(lamp.status))
    note("same Python object", id(lamp) == before)


def refresh_status_only():
    """The app commits 'on'; lamp.refresh_from_db(fields=["status"])."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    request("switch_on", lamp.pk)
    lamp.refresh_from_db(fields=["status"])
    note("lamp.status", repr(lamp.status))


def refresh_after_delete():
    """The app deletes the row; lamp.refresh_from_db(), then Lamp.objects.get(pk=...)."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    request("delete", lamp.pk)
    attempt("lamp.refresh_from_db()", lamp.refresh_from_db)
    attempt("Lamp.objects.get(pk=lamp.pk)", lambda: Lamp.objects.get(pk=lamp.pk))
    note("lamp.status after the failed refresh", repr(lamp.status))


if __name__ == "__main__":
    main([refresh_all_fields, refresh_status_only, refresh_after_delete])
