#!/usr/bin/env python3
"""Instances are copies: create() returns an object made from the row as it was; the app's later
commit on another connection does not reach it. Reading an attribute sends no SQL;
Lamp.objects.get() again makes another instance from the row it reads.

Usage: copies.py DATABASE_URL [--case NAME]
"""
from common import fresh, main, note, request, sees


def instance_is_a_copy():
    """create(); the app switches it on on its own connection and commits; the test reads lamp.status."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    note("lamp.status after create", repr(lamp.status))
    request("switch_on", lamp.pk)
    note("lamp.status (no SQL above this line)", repr(lamp.status))
    note("the test's connection reads", sees(lamp.pk))
    note("a brand-new connection reads", fresh(lamp.pk))


def get_again():
    """Lamp.objects.get(pk=...) after the app's commit: a new query, a new instance."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    request("switch_on", lamp.pk)
    again = Lamp.objects.get(pk=lamp.pk)
    note("again.status", repr(again.status))
    note("again is lamp", again is lamp)
    note("lamp.status (the old instance)", repr(lamp.status))
    note("again == lamp (model equality: same class and pk)", again == lamp)


if __name__ == "__main__":
    main([instance_is_a_copy, get_again])
