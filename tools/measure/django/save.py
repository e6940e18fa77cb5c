#!/usr/bin/env python3
"""Model.save() of an instance with a pk: UPDATE of every field by pk; when no row was updated,
INSERT with that pk. So saving a stale copy overwrites the app's commit (a lost update), and saving
a copy whose row the app deleted inserts it again.

Usage: save.py DATABASE_URL [--case NAME]
"""
from common import fresh, main, note, request


def stale_save_lost_update():
    """create; the app commits 'on'; the test saves its copy (status 'off', unchanged)."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    request("switch_on", lamp.pk)
    lamp.save()
    note("a brand-new connection reads", fresh(lamp.pk))


def save_after_delete():
    """create; the app deletes the row; the test saves its copy."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    request("delete", lamp.pk)
    lamp.save()
    note("a brand-new connection reads", fresh(lamp.pk))
    note("lamp.pk", lamp.pk)


def set_then_save():
    """create; set status 'on' (memory only: no SQL); save."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    lamp.status = "on"
    note("after lamp.status = 'on' (nothing sent), a brand-new connection reads", fresh(lamp.pk))
    lamp.save()
    note("after save, a brand-new connection reads", fresh(lamp.pk))


if __name__ == "__main__":
    main([stale_save_lost_update, save_after_delete, set_then_save])
