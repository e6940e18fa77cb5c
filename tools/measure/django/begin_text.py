#!/usr/bin/env python3
"""What psycopg2 sends for BEGIN, COMMIT, ROLLBACK and savepoints under Django, from the server's
own log, beside common.py's client-side echo of the same connection.

The test's connection gets `-c log_statement=all` in its libpq options (a superuser may set it for
its own session; nothing server-wide changes), so the server logs each statement it receives,
with the backend's pid; the script prints the log lines of that pid after each case. BEGIN is
sent by psycopg2's C code, which no Python hook sees: this is where its exact text is measured.

Usage: begin_text.py DATABASE_URL [--server-log PATH] [--case NAME]
PATH: the server's stderr log (lampctl's home: $LAMPCTL_HOME/server.log, the default).
"""
import os, sys

import psycopg2.extensions as ext
from common import PIDS, main, note, set_isolation

LOG = None


def logged(call):
    """Runs call on the test's connection with log_statement=all; prints the server's log lines of it."""
    from django.db import connection, connections
    from common import ECHO
    ECHO.clear()
    options = connections.settings["default"]["OPTIONS"]
    plain = options["options"]
    options["options"] = plain + " -c log_statement=all"
    connection.close()
    start = os.path.getsize(LOG)
    try:
        call()
        pid = PIDS["S1"]
        connection.close()
    finally:
        options["options"] = plain
    with open(LOG, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        lines = [line.split("statement: ", 1)[1].strip() for line in f if f"[{pid}]" in line and "statement: " in line]
    for line in lines:
        print(f"    log {line}")
    echoed = [line for label, line in ECHO if label == "S1" and not line.startswith("(close)")]
    note("client echo == server log", echoed == lines)


def atomic_flow():
    """create in autocommit; atomic(): get, nested atomic(): save, leave by an exception; end."""
    from django.db import transaction
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    with transaction.atomic():
        Lamp.objects.get(pk=lamp.pk)
        try:
            with transaction.atomic():
                lamp.status = "on"
                lamp.save()
                raise RuntimeError("leave the inner block")
        except RuntimeError:
            pass
    try:
        with transaction.atomic():
            Lamp.objects.get(pk=lamp.pk)
            raise RuntimeError("leave the outer block")
    except RuntimeError:
        pass


def begin_server_default():
    """No isolation_level in OPTIONS: the statements psycopg2 sends, as the server logged them."""
    logged(atomic_flow)


def begin_read_committed():
    """OPTIONS isolation_level = ISOLATION_LEVEL_READ_COMMITTED."""
    set_isolation(ext.ISOLATION_LEVEL_READ_COMMITTED)
    logged(atomic_flow)


def begin_repeatable_read():
    """OPTIONS isolation_level = ISOLATION_LEVEL_REPEATABLE_READ."""
    set_isolation(ext.ISOLATION_LEVEL_REPEATABLE_READ)
    logged(atomic_flow)


def begin_serializable():
    """OPTIONS isolation_level = ISOLATION_LEVEL_SERIALIZABLE."""
    set_isolation(ext.ISOLATION_LEVEL_SERIALIZABLE)
    logged(atomic_flow)


def close_in_transaction():
    """connection.close() inside an atomic block (what a thread's close_all does): sent statements."""
    from django.db import transaction, connection
    from lampapp.models import Lamp

    def flow():
        a = transaction.atomic()
        a.__enter__()
        Lamp.objects.create()
        connection.close()
        note("in_atomic_block after close", connection.in_atomic_block)
    logged(flow)


if __name__ == "__main__":
    argv = sys.argv[1:]
    if "--server-log" in argv:
        i = argv.index("--server-log")
        LOG = argv[i + 1]
        del argv[i:i + 2]
    else:
        LOG = os.path.join(os.environ.get("LAMPCTL_HOME", os.path.expanduser("~/.lampctl")), "server.log")
    if not os.path.exists(LOG):
        sys.exit(f"begin_text.py: no server log at {LOG} (--server-log PATH)")
    main([begin_server_default, begin_read_committed, begin_repeatable_read, begin_serializable, close_in_transaction],
         argv)
