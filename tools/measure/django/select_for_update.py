#!/usr/bin/env python3
"""select_for_update(): outside atomic() it raises before any SQL; inside, SELECT ... FOR UPDATE
locks the row until the block ends, and the app's UPDATE on another connection waits for it
(seen from the server: pg_blocking_pids names the test's backend); the wait is cancelled here.

Usage: select_for_update.py DATABASE_URL [--case NAME]
"""
import threading, time

from common import PIDS, attempt, blocking, cancel, describe, in_thread, main, note


def outside_atomic():
    """Lamp.objects.select_for_update().get(pk=...) in autocommit."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    attempt("select_for_update().get() outside atomic", lambda: Lamp.objects.select_for_update().get(pk=lamp.pk))


def inside_atomic_blocks_the_app():
    """atomic(): select_for_update().get(); the app's switch-on on its own thread waits; cancelled."""
    from django.db import transaction
    from lampapp import views
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    with transaction.atomic():
        locked = Lamp.objects.select_for_update().get(pk=lamp.pk)
        note("locked is lamp", locked is lamp)
        PIDS.pop("S2", None)
        out = {}
        app = threading.Thread(target=lambda: out.update(r=in_thread(lambda: views.switch_on(None, lamp.pk))))
        app.start()
        deadline, holders = time.monotonic() + 10, []
        while time.monotonic() < deadline and not holders:
            time.sleep(0.05)
            if "S2" in PIDS:
                holders = blocking(PIDS["S2"])
        names = {pid: name for name, pid in PIDS.items()}
        note("pg_blocking_pids(app's backend)", f"{holders} = {[names.get(p, '?') for p in holders]}")
        app.join(0.3)
        note("the app's request still waiting after 0.3 s", app.is_alive())
        cancel(PIDS["S2"])
        app.join(10)
        _, exc = out["r"]
        note("the app's request after pg_cancel_backend", describe(exc) if exc else "returned")
        note("locked.status", repr(locked.status))
    note("a brand-new read after the test's block", __import__("common").fresh(lamp.pk))


def plain_read_not_blocked():
    """atomic(): select_for_update().get(); the app's plain Lamp.objects.get() on its own thread."""
    from django.db import transaction
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    with transaction.atomic():
        Lamp.objects.select_for_update().get(pk=lamp.pk)
        value, exc = in_thread(lambda: Lamp.objects.get(pk=lamp.pk).status)
        note("the app's get", describe(exc) if exc else f"returns {value!r} at once")


if __name__ == "__main__":
    main([outside_atomic, inside_atomic_blocks_the_app, plain_read_not_blocked])
