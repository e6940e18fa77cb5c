#!/usr/bin/env python3
"""A QuerySet's result cache: filter() is lazy; the first iteration runs the SELECT and keeps the
instances; iterating the same QuerySet again runs no SQL and gives the same instances; a new
QuerySet (filter again, or .all()) queries again; an empty result makes list(qs)[0] raise IndexError.

Usage: querysets.py DATABASE_URL [--case NAME]
"""
from common import attempt, main, note, request


def cache_iterated_again():
    """filter (no SQL), list(qs)[0] (SELECT), the app commits 'on', list(qs)[0] again."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    note("--- lamps = Lamp.objects.filter(pk=lamp.pk)", "")
    lamps = Lamp.objects.filter(pk=lamp.pk)
    note("--- first = list(lamps)[0]", "")
    first = list(lamps)[0]
    request("switch_on", lamp.pk)
    note("--- second = list(lamps)[0]", "")
    second = list(lamps)[0]
    note("second.status", repr(second.status))
    note("second is first", second is first)
    note("first is lamp (create's instance)", first is lamp)


def new_queryset_and_all():
    """After the app's commit: Lamp.objects.filter(...) again, and lamps.all() on the evaluated QuerySet."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    lamps = Lamp.objects.filter(pk=lamp.pk)
    first = list(lamps)[0]
    request("switch_on", lamp.pk)
    note("--- list(Lamp.objects.filter(pk=lamp.pk))[0]", "")
    fresh_one = list(Lamp.objects.filter(pk=lamp.pk))[0]
    note("status", repr(fresh_one.status))
    note("--- list(lamps.all())[0]", "")
    via_all = list(lamps.all())[0]
    note("status", repr(via_all.status))
    note("lamps.all() is lamps", lamps.all() is lamps)
    note("via_all is first", via_all is first)
    note("--- list(lamps)[0] (the evaluated one, again)", "")
    note("status", repr(list(lamps)[0].status))


def empty_queryset():
    """filter (lazy), the app deletes the row, list(lamps)[0]."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    lamps = Lamp.objects.filter(pk=lamp.pk)
    request("delete", lamp.pk)
    attempt("list(lamps)[0]", lambda: list(lamps)[0])


if __name__ == "__main__":
    main([cache_iterated_again, new_queryset_and_all, empty_queryset])
