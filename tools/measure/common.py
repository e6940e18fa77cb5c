"""Shared by the measurement scripts in tools/measure: a private schema per run, engines for
both drivers (sync Session + psycopg2, AsyncSession + asyncpg), every statement echoed with the
name of the actor that sent it, and a tiny async facade over the sync Session so one case body
runs under both drivers.

Each script takes: DATABASE_URL [--driver sync|async|both]
(a postgresql:// URL without a driver; the scripts add +psycopg2 or +asyncpg).
Nothing here touches a table outside the run's own schema `measure_<random>`, dropped at the end.
"""
import asyncio, sys, traceback, uuid, warnings
from sqlalchemy import String, event, select, text, create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.ext.asyncio import AsyncAttrs, AsyncSession, create_async_engine


class Base(AsyncAttrs, DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String, server_default=text("'off'"))

    def __repr__(self):
        return f"<Lamp #{id(self) % 10000}>"


class Log:
    """Prints each statement as `ACTOR  SQL  params`, ACTOR being whoever the script says acts now."""
    actor = "-"

    @classmethod
    def say(cls, line, actor=None):
        print(f"    {actor or cls.actor:<7} {line}")


def as_(actor):
    """Sets who sends the next statements (S1 test, S2 app, W worker, ...)."""
    Log.actor = actor


def note(label, value):
    print(f"    => {label}: {value}")


# SQLAlchemy's warnings (e.g. SAWarning) are results too: print each one where it happens.
warnings.simplefilter("always")
warnings.showwarning = lambda message, category, *rest, **kw: print(
    f"    => warning: {category.__module__}.{category.__name__}: {message}")


def describe(exc):
    """`raises module.Class: first line`, plus the driver's own exception class when SQLAlchemy wraps one."""
    orig = getattr(exc, "orig", None)
    inner = getattr(orig, "__cause__", None) or orig
    wrapped = f" [driver: {type(inner).__module__}.{type(inner).__name__}]" if inner is not None else ""
    return f"raises {type(exc).__module__}.{type(exc).__name__}{wrapped}: {str(exc).splitlines()[0][:110]}"


async def attempt(label, call):
    """Calls `call` (awaiting what it returns when awaitable) and notes its result or its error."""
    try:
        r = call()
        if hasattr(r, "__await__"):
            r = await r
        note(label, f"returns {r!r}")
        return r
    except Exception as exc:  # noqa: BLE001
        note(label, describe(exc))


def hook(sync_engine, fixed=None):
    """Echoes the engine's statements, labelled `fixed` (for an engine used in the background) or
    with the current actor. Under AsyncSession a statement that raised MissingGreenlet is echoed too,
    although it never reached the server (see async_expiry.py)."""
    @event.listens_for(sync_engine, "before_cursor_execute")
    def _sql(conn, cursor, statement, params, context, executemany):
        flat = " ".join(statement.split())
        Log.say(f"{flat}  {params if params else ''}".rstrip(), fixed)

    @event.listens_for(sync_engine, "begin")
    def _begin(conn):
        Log.say("BEGIN (implicit)", fixed)

    @event.listens_for(sync_engine, "commit")
    def _commit(conn):
        Log.say("COMMIT", fixed)

    @event.listens_for(sync_engine, "rollback")
    def _rollback(conn):
        Log.say("ROLLBACK", fixed)


class SyncTxn:
    def __init__(self, t):
        self.raw = t

    async def commit(self):
        self.raw.commit()

    async def rollback(self):
        self.raw.rollback()


class SyncSession:
    """The sync Session behind AsyncSession's awaitable method names, so one body serves both."""

    def __init__(self, s):
        self.raw = s
        self.sync_session = s

    def __getattr__(self, name):
        attr = getattr(self.raw, name)
        if name in ("execute", "scalar", "scalars", "get", "refresh", "commit", "rollback", "close",
                    "flush", "merge", "delete"):
            async def call(*a, **k):
                return attr(*a, **k)
            return call
        return attr

    async def begin_nested(self):
        return SyncTxn(self.raw.begin_nested())

    @property
    def identity_map(self):
        return self.raw.identity_map


class SyncConn:
    def __init__(self, c):
        self.raw = c
        self.sync_connection = c

    async def begin(self):
        return SyncTxn(self.raw.begin())

    async def execute(self, *a, **k):
        return self.raw.execute(*a, **k)

    async def commit(self):
        self.raw.commit()

    async def rollback(self):
        self.raw.rollback()

    async def close(self):
        self.raw.close()

    def in_transaction(self):
        return self.raw.in_transaction()


class Env:
    """One run: a URL, a driver, a private schema, and the engines made for it."""

    def __init__(self, url, driver):
        self.url, self.driver = url, driver
        self.schema = "measure_" + uuid.uuid4().hex[:10]
        self.engines = []

    def engine(self, name="x", fixed_label=False, **kw):
        """An engine whose connections carry application_name `<schema>:<name>` (see backends())."""
        app = f"{self.schema}:{name}"
        if self.driver == "async":
            e = create_async_engine(self.url.replace("postgresql://", "postgresql+asyncpg://", 1),
                                    connect_args={"server_settings": {"search_path": self.schema,
                                                                      "application_name": app}}, **kw)
            hook(e.sync_engine, name if fixed_label else None)
        else:
            e = create_engine(self.url.replace("postgresql://", "postgresql+psycopg2://", 1),
                              connect_args={"options": f"-csearch_path={self.schema}", "application_name": app},
                              **kw)
            hook(e, name if fixed_label else None)
        self.engines.append(e)
        return e

    def session(self, bind, **kw):
        if self.driver == "async":
            return AsyncSession(bind=bind, **kw)
        return SyncSession(Session(bind=getattr(bind, "raw", bind), **kw))

    async def connect(self, engine):
        if self.driver == "async":
            return await engine.connect()
        return SyncConn(engine.connect())

    async def dispose(self):
        for e in self.engines:
            r = e.dispose()
            if asyncio.iscoroutine(r):
                await r
        self.engines = []

    async def committed(self, lamp_id):
        """What a brand-new connection sees (autocommit), `None` when the row is invisible to it."""
        e = self.engine("W", isolation_level="AUTOCOMMIT", poolclass=_null_pool())
        as_before = Log.actor
        as_("W")
        try:
            c = await self.connect(e)
            r = (await c.execute(text("SELECT status FROM lamps WHERE id = :id"), {"id": lamp_id})).scalar()
            await c.close()
            return r
        finally:
            as_(as_before)


def backends(env):
    """The server's view of this run's backends (pg_stat_activity), read on a separate connection."""
    e = create_engine(env.url.replace("postgresql://", "postgresql+psycopg2://", 1), isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        rows = c.execute(text("SELECT split_part(application_name, ':', 2), state, left(query, 60) "
                              "FROM pg_stat_activity WHERE application_name LIKE :p ORDER BY 1"),
                         {"p": env.schema + ":%"}).all()
    e.dispose()
    note("server sees", "; ".join(f"{n} {st} (last: {' '.join(q.split())})" for n, st, q in rows) or "no backend")


def _null_pool():
    from sqlalchemy.pool import NullPool
    return NullPool


def schema_admin(url, schema, create):
    """Creates or drops the run's schema with a plain sync connection (not echoed)."""
    e = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1), isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        if create:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
            c.execute(text(f'CREATE TABLE "{schema}".lamps (id integer GENERATED BY DEFAULT AS IDENTITY '
                           f"PRIMARY KEY, status text NOT NULL DEFAULT 'off')"))
        else:
            c.execute(text("SET lock_timeout = '5s'"))
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    e.dispose()


def truncate(url, schema):
    e = create_engine(url.replace("postgresql://", "postgresql+psycopg2://", 1), isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        c.execute(text(f'TRUNCATE "{schema}".lamps RESTART IDENTITY'))
    e.dispose()


async def tx_sees(session, lamp_id):
    """A plain SQL read of the status inside the session's transaction (no identity map)."""
    return (await session.execute(text("SELECT status FROM lamps WHERE id = :id"), {"id": lamp_id})).scalar()


def read(obj, attr="status"):
    """Plain attribute access, as a test's assert does; an exception is a result."""
    try:
        return repr(getattr(obj, attr))
    except Exception as exc:  # noqa: BLE001 - the exception is what we measure
        return describe(exc)


def in_tx(session):
    return session.in_transaction()


def main(cases, argv=None):
    """Runs every case (a coroutine function taking Env) for each driver asked for, each in a fresh schema."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0].startswith("-"):
        print(f"usage: {sys.argv[0]} DATABASE_URL [--driver sync|async|both] [--case NAME]", file=sys.stderr)
        sys.exit(64)
    url, drivers, only = argv[0], ["sync", "async"], None
    rest = argv[1:]
    while rest:
        if rest[0] == "--driver" and len(rest) > 1:
            drivers = ["sync", "async"] if rest[1] == "both" else [rest[1]]
        elif rest[0] == "--case" and len(rest) > 1:
            only = rest[1]
        else:
            print(f"unknown argument {rest[0]}", file=sys.stderr)
            sys.exit(64)
        rest = rest[2:]
    for driver in drivers:
        print(f"##### driver={driver} ({'Session + psycopg2' if driver == 'sync' else 'AsyncSession + asyncpg'})")
        for case in cases:
            if only and case.__name__ != only:
                continue
            env = Env(url, driver)
            schema_admin(url, env.schema, True)
            print(f"== {case.__name__} [{driver}]" + (f": {case.__doc__.strip()}" if case.__doc__ else ""))
            try:
                asyncio.run(asyncio.wait_for(_run(case, env), timeout=30))
            except Exception as exc:  # noqa: BLE001
                print(f"    !! case aborted: {describe(exc)}")
                traceback.print_exc(limit=3, file=sys.stdout)
            finally:
                schema_admin(url, env.schema, False)
            as_("-")


async def _run(case, env):
    try:
        await case(env)
    finally:
        await env.dispose()
