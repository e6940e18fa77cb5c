"""Shared by the Django measurement scripts in tools/measure/django: Django 5.2 configured in code
against DATABASE_URL, the tiny app `lampapp` (the unmanaged Lamp model on table `lamps`), a
private schema `measure_<random>` per run (search_path through OPTIONS["options"]) dropped at the
end, and an echo of every statement each actor's connection sends.

The echo. Django passes OPTIONS on to psycopg2.connect, so with `connection_factory` and
`cursor_factory` there every connection Django opens is an EchoConnection and every cursor an
EchoCursor (Django's own cursor wrapper sits on top, untouched):
- EchoCursor.execute prints `cursor.mogrify(sql, params)`: psycopg2 interpolates parameters on the
  client, so that is the exact text it sends. This also catches what Django sends on a raw cursor
  (SAVEPOINT, SET CONSTRAINTS, is_usable()'s SELECT 1), which `connection.execute_wrapper` sees
  only partly.
- BEGIN: psycopg2 sends it itself (C code, pqpath.c pq_begin_locked) just before a statement
  when autocommit is off and no transaction is open. EchoCursor prints it at that moment, with the
  text psycopg2 builds: `BEGIN`, or `BEGIN ISOLATION LEVEL <LEVEL>` once the connection has an
  isolation level (Django sets one when OPTIONS has isolation_level). begin_text.py checks these
  texts against the server's own log.
- psycopg2 also sends `SET default_transaction_isolation TO DEFAULT` itself when autocommit is
  turned off on a connection that has an isolation level (connection_int.c conn_set_session):
  EchoConnection's autocommit setter prints it then.
- EchoConnection.commit/rollback print COMMIT/ROLLBACK when a transaction is open (psycopg2
  sends nothing otherwise); close prints `(close)` (a Terminate message: the server rolls back a
  transaction still open).

Actors: the main thread is S1 (the test), any other thread S2 (the application's request
thread) unless `as_()` names another for the current thread (W: a brand-new connection reading
what is committed). A connection keeps the actor of the thread that opened it.

Each script: `python SCRIPT.py DATABASE_URL [--case NAME]`, with the Django venv's python
(tools/django-venv.sh). Nothing outside the run's schema is touched.
"""
import os, sys, threading, time, traceback, uuid

import psycopg2
import psycopg2.extensions as ext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # lampapp

SCHEMA = "measure_" + uuid.uuid4().hex[:10]
URL = None
PIDS = {}  # actor -> backend pid of the last connection it opened
_local = threading.local()
LEVELS = {ext.ISOLATION_LEVEL_READ_COMMITTED: "READ COMMITTED", ext.ISOLATION_LEVEL_REPEATABLE_READ: "REPEATABLE READ",
          ext.ISOLATION_LEVEL_SERIALIZABLE: "SERIALIZABLE"}


def as_(name):
    """Names the actor of the current thread's next connections (None: back to the default)."""
    _local.actor = name


def actor():
    name = getattr(_local, "actor", None)
    if name:
        return name
    return "S1" if threading.current_thread() is threading.main_thread() else "S2"


ECHO = []  # every (actor, statement) echoed so far (begin_text.py compares them with the server's log)


def say(label, line):
    ECHO.append((label, line))
    print(f"    {label:<3} {line}", flush=True)


def note(label, value):
    print(f"    => {label}: {value}", flush=True)


def begin_text(conn):
    """What psycopg2 2.9 sends to open a transaction (pq_begin_locked): plain BEGIN at the default
    isolation level, else BEGIN ISOLATION LEVEL <LEVEL> (begin_text.py: the server's log agrees)."""
    level = LEVELS.get(conn.isolation_level)
    return f"BEGIN ISOLATION LEVEL {level}" if level else "BEGIN"


class EchoCursor(ext.cursor):
    """Prints each statement as sent, preceded by psycopg2's own BEGIN when it sends one."""

    def execute(self, sql, params=None):
        conn = self.connection
        if not conn.autocommit and conn.info.transaction_status == ext.TRANSACTION_STATUS_IDLE:
            say(conn.label, begin_text(conn))
        say(conn.label, " ".join(self.mogrify(sql, params).decode().split()))
        return super().execute(sql, params)


class EchoConnection(ext.connection):
    """Labelled with the actor that opened it; prints COMMIT, ROLLBACK, close, and the SET psycopg2
    sends when autocommit is turned off on a connection with an isolation level."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.label = actor()
        PIDS[self.label] = self.info.backend_pid

    @property
    def autocommit(self):
        return ext.connection.autocommit.__get__(self)

    @autocommit.setter
    def autocommit(self, value):
        # psycopg2's conn_set_session, leaving autocommit with an isolation level set, resets the
        # session default "to let BEGIN do its work" (begin_text.py: the server's log shows it)
        if not value and self.autocommit and LEVELS.get(self.isolation_level):
            say(self.label, "SET default_transaction_isolation TO DEFAULT")
        ext.connection.autocommit.__set__(self, value)

    def commit(self):
        if self.info.transaction_status != ext.TRANSACTION_STATUS_IDLE:
            say(self.label, "COMMIT")
        return super().commit()

    def rollback(self):
        if self.info.transaction_status != ext.TRANSACTION_STATUS_IDLE:
            say(self.label, "ROLLBACK")
        return super().rollback()

    def close(self):
        if not self.closed:
            open_tx = self.info.transaction_status != ext.TRANSACTION_STATUS_IDLE
            say(self.label, "(close)" + (" with a transaction open: the server rolls it back" if open_tx else ""))
        return super().close()


def database_settings(url, schema):
    """DATABASES["default"] for url (a libpq URL or DSN), the contract's settings, search_path = schema."""
    p = ext.parse_dsn(url)
    options = {k: v for k, v in p.items() if k not in ("dbname", "user", "password", "host", "port")}
    options.update({"options": f"-c search_path={schema}", "application_name": f"{schema}",
                    "connection_factory": EchoConnection, "cursor_factory": EchoCursor})
    return {"ENGINE": "django.db.backends.postgresql", "NAME": p.get("dbname", ""), "USER": p.get("user", ""),
            "PASSWORD": p.get("password", ""), "HOST": p.get("host", ""), "PORT": p.get("port", ""),
            "CONN_MAX_AGE": 0, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "OPTIONS": options}


def configure(url):
    """settings.configure + django.setup(), and the schema with the lamps table (not echoed)."""
    global URL
    URL = url
    import django
    from django.conf import settings
    settings.configure(
        DATABASES={"default": database_settings(url, SCHEMA)}, INSTALLED_APPS=["lampapp"],
        ROOT_URLCONF="lampapp.urls", MIDDLEWARE=[], ALLOWED_HOSTS=["*"], DEBUG=False, SECRET_KEY="measure",
        USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField", STATIC_URL="/static/", MEDIA_URL="/media/")
    django.setup()
    admin(f'CREATE SCHEMA "{SCHEMA}"', f'CREATE TABLE "{SCHEMA}".lamps (id integer GENERATED BY DEFAULT AS IDENTITY '
                                       "PRIMARY KEY, status text NOT NULL DEFAULT 'off')")


def admin(*statements):
    """Runs statements on a plain, unechoed autocommit connection (schema set-up and clean-up)."""
    c = psycopg2.connect(URL)
    c.autocommit = True
    try:
        with c.cursor() as cur:
            cur.execute("SET lock_timeout = '5s'")
            for s in statements:
                cur.execute(s)
    finally:
        c.close()


def set_isolation(level):
    """OPTIONS["isolation_level"] (a psycopg2 ISOLATION_LEVEL_* constant, None: not set) for every
    connection opened from now on, in any thread: the settings dict all DatabaseWrappers share."""
    from django.db import connections
    connections.close_all()
    options = connections.settings["default"]["OPTIONS"]
    options.pop("isolation_level", None)
    if level is not None:
        options["isolation_level"] = level


def describe(exc):
    """`raises module.Qualname: first line`, with the psycopg2 exception Django wrapped, if any."""
    cause = exc.__cause__
    inner = f" [from {type(cause).__module__}.{type(cause).__qualname__}, pgcode {getattr(cause, 'pgcode', None)}]" \
        if cause is not None else ""
    return f"raises {type(exc).__module__}.{type(exc).__qualname__}{inner}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"


def attempt(label, call):
    """Calls `call`, notes what it returns or raises; returns (value, exception)."""
    try:
        value = call()
    except Exception as exc:  # noqa: BLE001 - the exception is the measurement
        note(label, describe(exc))
        return None, exc
    note(label, f"returns {value!r}")
    return value, None


def in_thread(call, name="S2"):
    """Runs `call` on a new thread (a request thread: its own connection, closed when it ends,
    as the live server's close_request does); returns (value, exception)."""
    out = {}

    def run():
        from django.db import connections
        as_(name)
        try:
            out["value"] = call()
        except Exception as exc:  # noqa: BLE001
            out["exc"] = exc
        finally:
            connections.close_all()
    t = threading.Thread(target=run, name=name)
    t.start()
    t.join()
    return out.get("value"), out.get("exc")


def request(view, pk, name="S2"):
    """The application's request: views.switch_on or views.delete on a thread of its own."""
    from lampapp import views
    value, exc = in_thread(lambda: getattr(views, view)(None, pk).content.decode(), name)
    note(f"{name} {view}", describe(exc) if exc else f"returns {value!r}")
    return exc


def fresh(pk):
    """What a brand-new connection reads now (autocommit), None: no row it can see."""
    as_before = getattr(_local, "actor", None)
    as_("W")
    try:
        c = psycopg2.connect(URL, connection_factory=EchoConnection, cursor_factory=EchoCursor,
                             options=f"-c search_path={SCHEMA}")
        c.autocommit = True
        with c.cursor() as cur:
            cur.execute("SELECT status FROM lamps WHERE id = %s", [pk])
            row = cur.fetchone()
        c.close()
        return row and row[0]
    finally:
        as_(as_before)


def sees(pk):
    """A plain SQL read on the test's connection, in whatever transaction is open there."""
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT status FROM lamps WHERE id = %s", [pk])
        row = cur.fetchone()
    return row and row[0]


def blocking(pid):
    """pg_blocking_pids(pid), asked on an unechoed connection of its own."""
    c = psycopg2.connect(URL)
    c.autocommit = True
    try:
        with c.cursor() as cur:
            cur.execute("SELECT pg_blocking_pids(%s)", [pid])
            return cur.fetchone()[0]
    finally:
        c.close()


def cancel(pid):
    admin(f"SELECT pg_cancel_backend({int(pid)})")


def main(cases, argv=None):
    """Runs each case (a function of no argument) in the run's schema, which starts empty for each."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("-"):
        print(f"usage: {sys.argv[0]} DATABASE_URL [--case NAME]", file=sys.stderr)
        sys.exit(64)
    only = argv[argv.index("--case") + 1] if "--case" in argv else None
    configure(argv[0])
    import django
    from django.db import connections
    print(f"# Django {django.get_version()}, psycopg2 {psycopg2.__version__.split()[0]}, schema {SCHEMA}")
    try:
        for case in cases:
            if only and case.__name__ != only:
                continue
            admin(f'TRUNCATE "{SCHEMA}".lamps RESTART IDENTITY')
            set_isolation(None)
            as_(None)
            print(f"== {case.__name__}: {' '.join((case.__doc__ or '').split())}", flush=True)
            try:
                case()
            except Exception as exc:  # noqa: BLE001
                print(f"    !! case aborted: {describe(exc)}")
                traceback.print_exc(limit=4, file=sys.stdout)
            finally:
                as_(None)
                connections.close_all()
    finally:
        connections.close_all()
        time.sleep(0.05)
        admin(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
