#!/usr/bin/env python3
"""Runs lampctl scenario files with real SQLAlchemy 2.x (sync, psycopg2) and prints the same
JSON Lines as `lampctl scenario --json`, so the two can be diffed (`make crosscheck`).

Usage: crosscheck.py DATABASE_URL --grammar GRAMMAR.json [--isolation L,..] [--expire-on-commit true,false] [--stop-at-failed-expect]
                     [--app commit,flush] [--session-driver sync,async] [--fixture RECIPE,..] [--driver psycopg2|asyncpg]
                     [--standby-url STANDBY_URL] FILE.scenario...
--session-driver is lampctl's --driver (the test session: Session, or AsyncSession on asyncpg, whose
plain attribute reads run outside greenlet_spawn); --driver is the DBAPI driver of the rest.
       crosscheck.py --grammar GRAMMAR.json        (only check the grammar)
GRAMMAR.json is what `lampctl scenario --grammar --json` prints: the scenario keywords come from
lampctl, and this script refuses to run (exit 2) when lampctl has a keyword it does not implement
(LINES, ROLES, SETTINGS, TEST_STEPS, APP_STEPS, WORKER_STEPS below).
Needs: pip install 'sqlalchemy>=2,<3' psycopg2-binary (and asyncpg for --driver asyncpg).
With asyncpg the sessions are AsyncSession objects on an async engine, driven from one
greenlet (as AsyncSession itself does), so the same steps run over the async driver.
With --standby-url (a hot standby of DATABASE_URL) every case is a replica run, as `lampctl scenario
--replica`: a reads=standby test session is a Session on a second engine, the standby's (with sticky=,
the primary's while the session's own write is recent, until it closes); its create goes through a
writer Session on the primary and then waits for replay; the lines get reads_from, replay_lag_ms and
commit_ms (the last two measured: tools/crosscheck.sh compares them bucketed, not exactly).
"""
import asyncio, json, re, sys, threading, time, uuid, weakref
import greenlet, psycopg2, psycopg2.extensions
from sqlalchemy import create_engine, text, String, select, event, inspect
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import Session, DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import await_only


class Base(AsyncAttrs, DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String, server_default=text("'off'"))


# The stale layer's facts (lampctl's RowVersions): which objects a step filled `status` into from a
# query row (SQLAlchemy's load and refresh events), and the row version each one's status came from.
LOADED = weakref.WeakSet()


@event.listens_for(Lamp, "load")
def _loaded(target, context):
    LOADED.add(target)


@event.listens_for(Lamp, "refresh")
def _refreshed(target, context, attrs):
    if attrs is None or "status" in attrs:
        LOADED.add(target)


# The xmin of the row version the connection's transaction sees, as xid8 (the epoch from the current
# snapshot's xmax, the xid within 2^31 of it), and its status; then pg_xact_status of such a version.
VISIBLE_VERSION = ("SELECT (n.nx + ((lamps.xmin::text::bigint - (n.nx & 4294967295) + 2147483648) & 4294967295)"
                   " - 2147483648)::text, lamps.status FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS nx) n,"
                   " lamps WHERE lamps.id = :i")
WRITER_STATUS = "SELECT pg_xact_status(CAST(CAST(:x AS text) AS xid8))"  # text: asyncpg has no xid8 codec


def server_in_transaction(conn):
    """Whether the connection's server session is inside an open transaction block (libpq's INTRANS)."""
    raw = conn.connection.driver_connection
    if hasattr(raw, "is_in_transaction"):  # asyncpg
        return raw.is_in_transaction()
    return raw.info.transaction_status == psycopg2.extensions.TRANSACTION_STATUS_INTRANS


def visible_version(conn, lamp_id):
    row = conn.execute(text(VISIBLE_VERSION), {"i": lamp_id}).first()
    return None if row is None or row[0] is None else (row[0], row[1])


def writer(conn, version):
    """pg_xact_status of a version's writer: 'in progress' or 'aborted', None when committed (or too old)."""
    status = conn.execute(text(WRITER_STATUS), {"x": version[0]}).scalar()
    return status if status in ("in progress", "aborted") else None


LEVELS = {"read-committed": "READ COMMITTED", "repeatable-read": "REPEATABLE READ",
          "serializable": "SERIALIZABLE", "server-default": None}


class Grammar:
    """The keyword tables lampctl prints with `scenario --grammar --json`."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            tables = json.load(f)
        self.lines = {e["keyword"] for e in tables["lines"]}
        self.roles = {e["keyword"] for e in tables["roles"]}
        self.settings = {e["keyword"]: e for e in tables["settings"]}
        self.steps = {e["keyword"]: e for e in tables["steps"]}

    def unimplemented(self):
        """What lampctl's grammar has and this script does not implement, as sentences."""
        missing = []
        for kind, theirs, ours in (("line keyword", self.lines, LINES), ("session kind", self.roles, ROLES),
                                   ("session setting", self.settings, SETTINGS)):
            missing += [f"{kind} '{k}'" for k in sorted(set(theirs) - set(ours))]
        tables = {"test": TEST_STEPS, "app": APP_STEPS, "worker": WORKER_STEPS}
        for keyword, entry in self.steps.items():
            for kind in entry.get("sessions", [entry["session"]]):  # every kind of session that may perform it
                if keyword not in tables.get(kind, {}):
                    missing.append(f"{kind} step '{keyword}'")
        return missing

    def parse(self, path):
        """A scenario file (lampctl has already accepted it) as (name, sessions, steps)."""
        sessions, steps, name = {}, [], None
        for number, raw in enumerate(open(path, encoding="utf-8-sig"), start=1):
            toks = raw.split("#", 1)[0].split()
            if not toks:
                continue
            if toks[0] == "scenario":
                name = toks[1]
            elif toks[0] == "summary":
                pass
            elif toks[0] == "session":
                decl = {"name": toks[1], "role": toks[2], "uses": None, "eoc": None, "iso": None, "driver": None,
                        "autoflush": True, "reads": "primary", "sticky": None, "sync_commit": None,
                        "fixture": None}
                rest = toks[3:]
                while rest:
                    key, _, value = rest[0].partition("=")
                    if self.settings[key]["values"] is None:
                        value, rest = rest[1], rest[1:]
                    SETTINGS[key](decl, value)
                    rest = rest[1:]
                sessions[toks[1]] = decl
            else:
                assert toks[1] in self.steps, f"{path}: unknown step '{toks[1]}'"
                args, lamp = toks[2:], ""
                if self.steps[toks[1]]["lamp"] and args and self.is_lamp_name(args[0]):
                    lamp, args = args[0], args[1:]
                steps.append((number, (toks[0], toks[1], lamp, args)))
        return name, sessions, steps

    def is_lamp_name(self, word):
        """lampctl's rule (docs/scenario-grammar.md): a-z first, then a-z, 0-9, _; not a word of any step's values."""
        reserved = {w for e in self.steps.values() for v in e["values"] for w in v.split()}
        return re.fullmatch(r"[a-z][a-z0-9_]{0,62}", word) is not None and word not in reserved


LINES = {"scenario", "summary", "session"}
ROLES = {"test", "app", "worker"}
SETTINGS = {
    "uses": lambda decl, name: decl.update(uses=name),
    "expire_on_commit": lambda decl, value: decl.update(eoc=value == "true"),
    "isolation": lambda decl, value: decl.update(iso=value),
    "driver": lambda decl, value: decl.update(driver=value),
    "autoflush": lambda decl, value: decl.update(autoflush=value == "true"),
    "reads": lambda decl, value: decl.update(reads=value),
    "sticky": lambda decl, value: decl.update(sticky=int(value[:-2]) if value.endswith("ms") else int(value[:-1]) * 1000),
    "synchronous_commit": lambda decl, value: decl.update(sync_commit=value),
    "fixture": lambda decl, value: decl.update(fixture=value),
}

# The fixture recipes whose sessions are all bound to one connection inside `outer = connection.begin()`.
JOIN_MODES = {"savepoint-join": "create_savepoint", "rollback-per-test": "rollback_only"}


DRIVER = "psycopg2"
STANDBY_URL = None  # --standby-url: a replica run (every case reports reads_from)


class BlockMonitor:
    """Finds a step waiting on a lock held by another session of the same case, as PostgreSQL's
    isolation tester (and lampctl) do: while a step runs for more than 10 ms, a thread asks
    pg_isolation_test_session_is_blocked from a connection of its own, names the holder with
    pg_blocking_pids, and cancels the waiting statement (pg_cancel_backend)."""

    def __init__(self, dsn):
        self.dsn, self.conn = dsn, None
        self.pids, self.found = {}, None

    def watch(self, session, label):
        """Note which backend `session` runs on whenever its transaction begins."""
        def began(_session, _transaction, connection):
            raw = connection.connection.driver_connection
            self.pids[label] = raw.get_server_pid() if hasattr(raw, "get_server_pid") else raw.info.backend_pid
        event.listen(session, "after_begin", began)

    def run(self, step):
        self.found, done = None, threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done,))
        watcher.start()
        try:
            return step()
        finally:
            done.set()
            watcher.join()

    def _watch(self, done):
        wait = 0.01
        while not done.wait(wait):
            wait = min(wait * 2, 0.1)
            if self.conn is None:
                self.conn = psycopg2.connect(self.dsn)
                self.conn.autocommit = True
            with self.conn.cursor() as cur:
                for label, pid in list(self.pids.items()):
                    others = sorted({p for p in self.pids.values() if p != pid})
                    cur.execute("SELECT pg_isolation_test_session_is_blocked(%s, %s::int[])", (pid, others))
                    if not cur.fetchone()[0]:
                        continue
                    cur.execute("SELECT unnest(pg_blocking_pids(%s))", (pid,))
                    holders = {row[0] for row in cur.fetchall()}
                    names = sorted({name for name, p in self.pids.items() if p in holders and p != pid})
                    self.found = ", ".join(names) or "another session"
                    cur.execute("SELECT pg_cancel_backend(%s)", (pid,))
                    return


MONITOR = None
# True (the fuzzer, tools/crosscheck-fuzz.py): cases share pooled engines instead of connecting anew.
REUSE_ENGINES = False
REUSED_ENGINES = {}


def make_engine(url, asynchronous=False, **kw):
    if DRIVER == "asyncpg" or asynchronous:
        from sqlalchemy.ext.asyncio import create_async_engine
        options = kw.pop("connect_args", {}).get("options", "")
        args = {"server_settings": {"search_path": options.split("=", 1)[1]}} if options else {}
        return create_async_engine(url.replace("+psycopg2", "+asyncpg"), connect_args=args, **kw)
    return create_engine(url, **kw)


def make_session(engine, asynchronous=False, **kw):
    if DRIVER == "asyncpg" or asynchronous:
        from sqlalchemy.ext.asyncio import AsyncSession
        return AsyncSession(engine, **kw).sync_session
    return Session(engine, **kw)


def sync_engine(engine):
    return getattr(engine, "sync_engine", engine)


REPLAYED_SQL = "SELECT pg_last_wal_replay_lsn() >= CAST(CAST(:l AS text) AS pg_lsn)"
OPEN_CASES = []  # the cases of the runs under way (run_case abandons those its run made)


class Case:
    """One case's state while its steps run: sessions, the lamp, the test's object, expectations."""

    def __init__(self, url, schema, decls, iso, eoc, app, driver="sync", fixture="independent"):
        self.url, self.schema, self.decls, self.iso, self.eoc, self.app = url, schema, decls, iso, eoc, app
        self.driver = driver  # the test session's: sync (Session) or async (AsyncSession, on asyncpg)
        self.test_name = next(n for n, d in decls.items() if d["role"] == "test")  # the session the observation reads
        self.fixture = fixture
        self.engines, self.sessions = {}, {}
        # lamps: name ("" the unnamed lamp) -> {"id", "obj" (None after a get found no row), "created"}
        self.lamps, self.order, self.expected, self.expectations = {}, [], None, []
        self.routes, self.wrote_at, self.lsn, self.paused, self.commit_ms = {}, {}, None, set(), None
        self.app_lsn = None  # with --standby-url: the primary's WAL position after the app's last request
        # the test's transaction on the standby: (app_lsn, replayed?) noted just before it took its snapshot
        self.standby_snapshot = None
        self.conn = self.async_conn = self.outer = None  # the join recipes' shared connection
        # the application's last write to each lamp it wrote: "on" (switch-on) or None (delete: no row)
        self.app_writes = {}
        self.worker_reads = []  # what each worker sql-read returned
        self.versions = weakref.WeakKeyDictionary()  # object -> (xid8, status) its status was last loaded from, or None
        OPEN_CASES.append(self)

    def abandon(self):
        """When its run is over (also after a run-ending exception): close the sessions and the join
        recipes' connection, best effort, so that no transaction is left open (idle in transaction,
        it would block the next case's TRUNCATE for ever)."""
        for s in self.sessions.values():
            try:
                s.close()
            except Exception:
                pass
        try:
            self.tear_down_join()
        except Exception:
            self.conn = None

    def note_loaded_rows(self):
        """After a step: the row version behind each test object's status the step loaded, read on its
        session's connection only inside an open transaction on the primary (else unknown)."""
        for obj in list(LOADED):
            s = inspect(obj).session
            name = next((n for n, x in self.sessions.items() if x is s), None)
            if name is None:
                continue  # not a test session's object
            conn = None
            if self.routes[name] == "primary":
                conn = self.conn if self.fixture in JOIN_MODES else (s.connection() if s.in_transaction() else None)
            key = inspect(obj).identity
            self.versions[obj] = visible_version(conn, key[0]) if conn is not None and key and server_in_transaction(conn) else None
        LOADED.clear()

    def shared_connection(self):
        """The join recipes' `connection = engine.connect(); outer = connection.begin()`, on the test's engine."""
        if self.conn is None:
            test = next(d for d in self.decls.values() if d["role"] == "test")
            engine = self.engine_for(test["iso"] or self.iso, self.driver == "async")
            if hasattr(engine, "sync_engine"):
                self.async_conn = await_only(engine.connect())
                self.outer = await_only(self.async_conn.begin())
                self.conn = self.async_conn.sync_connection
            else:
                self.conn = engine.connect()
                self.outer = self.conn.begin()
        return self.conn

    def bound_session(self, **kw):
        """Session(bind=connection, join_transaction_mode=...) (AsyncSession on an async connection)."""
        mode = JOIN_MODES[self.fixture]
        self.shared_connection()
        if self.async_conn is not None:
            from sqlalchemy.ext.asyncio import AsyncSession
            return AsyncSession(bind=self.async_conn, join_transaction_mode=mode, **kw).sync_session
        return Session(bind=self.conn, join_transaction_mode=mode, **kw)

    def tear_down_join(self):
        """`outer.rollback()` when still active (a session may have rolled it back), then close the connection."""
        if self.conn is None:
            return
        if self.async_conn is not None:
            if self.outer.is_active:
                await_only(self.outer.rollback())
            await_only(self.async_conn.close())
        else:
            if self.outer.is_active:
                self.outer.rollback()
            self.conn.close()
        self.conn = None

    def engine_for(self, level, asynchronous=False, cluster="primary"):
        if (level, asynchronous, cluster) not in self.engines:
            key = (self.schema, DRIVER, level, asynchronous, cluster)
            engine = REUSED_ENGINES.get(key) if REUSE_ENGINES else None
            if engine is None:
                kw = {"isolation_level": LEVELS[level]} if LEVELS[level] else {}
                engine = make_engine(STANDBY_URL if cluster == "standby" else self.url, asynchronous,
                                     connect_args={"options": f"-csearch_path={self.schema}"}, **kw)
                if REUSE_ENGINES:
                    REUSED_ENGINES[key] = engine
            self.engines[(level, asynchronous, cluster)] = engine
        return self.engines[(level, asynchronous, cluster)]

    def route(self, n):
        """Where session n reads: its reads= server, or the primary while a sticky= window after
        its own write is open (decided when its Session is made, as a new request's routing is)."""
        d = self.decls[n]
        if n in self.sessions:
            return self.routes[n]
        wrote = self.wrote_at.get(n)
        if d["sticky"] is not None and wrote is not None and (time.monotonic() - wrote) * 1000 < d["sticky"]:
            return "primary"
        return d["reads"]

    def session(self, n):
        d = self.decls[n]
        if n not in self.sessions:
            level = d["iso"] or self.iso
            e = self.eoc if d["eoc"] is None else d["eoc"]
            asynchronous = d["role"] == "test" and self.driver == "async"
            self.routes[n] = self.route(n)
            if self.fixture in JOIN_MODES:  # bound to the shared connection, on the primary
                self.sessions[n] = self.bound_session(expire_on_commit=e, autoflush=d["autoflush"])
            else:
                self.sessions[n] = make_session(self.engine_for(level, asynchronous, self.routes[n]), asynchronous,
                                                expire_on_commit=e, autoflush=d["autoflush"])
            if self.routes[n] == "primary" or self.fixture in JOIN_MODES:
                MONITOR.watch(self.sessions[n], n)
            elif STANDBY_URL and n == self.test_name:
                # after_begin comes before the transaction's first statement, which takes its snapshot
                event.listen(self.sessions[n], "after_begin", lambda *_: self.note_standby_snapshot())
        return self.sessions[n]

    def note_standby_snapshot(self):
        """The application's last request so far and whether the standby has replayed it, asked on a
        connection of its own (replay only moves forward: replayed now means the snapshot has it)."""
        lsn = self.app_lsn
        self.standby_snapshot = (lsn, lsn is None or self.scalar("standby", REPLAYED_SQL, l=lsn))

    def standby_behind(self):
        """The app's last request came before the snapshot, and the standby had not replayed it then."""
        lsn, replayed = self.standby_snapshot or (None, True)
        return self.app_lsn is not None and lsn == self.app_lsn and not replayed

    def scalar(self, cluster, sql, **params):
        """One value from a connection of its own on a server (outside every session)."""
        with sync_engine(self.engine_for("server-default", False, cluster)).connect() as c:
            value = c.execute(text(sql), params).scalar()
            c.commit()
            return value

    def primary_lsn(self):
        return self.reachable(self.scalar("primary", "SELECT pg_current_wal_insert_lsn()::text"))

    def reachable(self, lsn):
        """lampctl's WALPosition.reachable: an insert position just past the header of a WAL page that
        holds nothing yet (the last record ended at the boundary) is backed off to the boundary, which
        a standby's replay reaches (it cannot pass the header until another record is written)."""
        high, low = (int(x, 16) for x in lsn.split("/"))
        position = high << 32 | low
        if position % 1024 not in (24, 40):
            return lsn
        page = int(self.scalar("primary", "SELECT current_setting('wal_block_size')"))
        segment = int(self.scalar("primary", "SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"))
        header = 40 if position % segment < page else 24
        if position % page != header:
            return lsn
        position -= header
        return f"{position >> 32:X}/{position & 0xFFFFFFFF:X}"

    def wait_for_replay(self, lsn, timeout=30.0):
        """Polls the standby every 5 ms until it has replayed lsn; the milliseconds it took."""
        start = time.monotonic()
        while not self.scalar("standby", REPLAYED_SQL, l=lsn):
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"the standby did not replay up to {lsn} within {timeout} s")
            time.sleep(0.005)
        return int((time.monotonic() - start) * 1000)

    @property
    def observed(self):
        """The lamp the observation reads: the last expect's, else the unnamed lamp, else the first created."""
        if self.expected is not None:
            return self.expected
        return "" if "" in self.lamps else self.order[0]

    def obj(self, lamp):
        return self.lamps[lamp]["obj"]

    def attribute(self, lamp, name):
        """A plain attribute read of the test's object, as `assert lamp.status == ...` does. An
        AsyncSession's test code reads it outside any greenlet_spawn: a fresh plain greenlet here,
        so an expired attribute raises MissingGreenlet exactly as it does there."""
        read = lambda: getattr(self.obj(lamp), name)
        return greenlet.greenlet(read).switch() if self.driver == "async" else read()

    def read_status(self, s, lamp):
        return s.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": self.lamps[lamp]["id"]}).scalar()


def create(case, s, lamp, args):
    obj = Lamp(status=args[0]) if args else Lamp()
    s.add(obj); s.commit()
    # the key without loading (obj.id may be expired)
    case.lamps[lamp] = {"id": inspect(obj).identity[0], "obj": obj, "created": obj}
    case.order.append(lamp)


def select_lamp(case, s, lamp, args):
    query = select(Lamp).where(Lamp.id == case.lamps[lamp]["id"])
    if args == ["for-update"]:
        query = query.with_for_update()
    elif args:
        query = query.execution_options(populate_existing=True)
    case.lamps[lamp]["obj"] = s.execute(query).scalar_one()


def select_all(case, s, lamp, args):
    """select(Lamp) of the case's lamps (keys from its first lamp's on: the run's schema is shared by its cases)."""
    rows = s.execute(select(Lamp).where(Lamp.id >= case.lamps[case.order[0]]["id"]).order_by(Lamp.id)).scalars().all()
    by_key = {inspect(row).identity[0]: row for row in rows}
    for entry in case.lamps.values():
        if entry["id"] in by_key:
            entry["obj"] = by_key[entry["id"]]


def get_lamp(case, s, lamp, args):
    """session.get: None when there is no row, and the test's variable then holds None."""
    case.lamps[lamp]["obj"] = s.get(Lamp, case.lamps[lamp]["id"])


def merge_lamp(case, s, lamp, args):
    case.lamps[lamp]["obj"] = s.merge(case.obj(lamp))


def set_status(case, s, lamp, args):
    case.obj(lamp).status = args[0]


def expect(case, s, lamp, args):
    case.expected = lamp
    case.expectations.append(case.attribute(lamp, "status") == args[0])


def test_step(case, n, op, lamp, args):
    """A test session's step; a reads=standby session's create goes through a writer Session on the
    primary (the test starts once the standby has replayed it)."""
    d = case.decls[n]
    if op == "create" and d["reads"] == "standby":
        e = case.eoc if d["eoc"] is None else d["eoc"]
        asynchronous = case.driver == "async"
        writer = make_session(case.engine_for(d["iso"] or case.iso, asynchronous), asynchronous, expire_on_commit=e,
                              autoflush=d["autoflush"])
        try:
            create(case, writer, lamp, args)
            if d["sticky"] is not None:
                case.wrote_at[n] = time.monotonic()
        finally:
            writer.close()
        case.wait_for_replay(case.primary_lsn())
        return
    TEST_STEPS[op](case, case.session(n), lamp, args)
    if op == "close" and d["sticky"] is not None:
        # A new request: no write of its own; its next Session reads where reads= says.
        case.wrote_at.pop(n, None)
        del case.sessions[n]


TEST_STEPS = {
    "create": create,
    "select": select_lamp,
    "select-all": select_all,
    "refresh": lambda case, s, lamp, args: s.refresh(case.obj(lamp), args or None),
    "get": get_lamp,
    "merge": merge_lamp,
    "expunge": lambda case, s, lamp, args: s.expunge(case.obj(lamp)),
    "add": lambda case, s, lamp, args: s.add(case.obj(lamp)),
    "set": set_status,
    "expire": lambda case, s, lamp, args: s.expire(case.obj(lamp)),
    "expire-all": lambda case, s, lamp, args: s.expire_all(),
    "close": lambda case, s, lamp, args: s.close(),
    "commit": lambda case, s, lamp, args: s.commit(),
    "rollback": lambda case, s, lamp, args: s.rollback(),
    "flush": lambda case, s, lamp, args: s.flush(),
    "sql-read": lambda case, s, lamp, args: case.read_status(s, lamp),
    "expect": expect,
    "read": lambda case, s, lamp, args: read_attribute(case, lamp, args),
}


def read_attribute(case, lamp, args):
    """`read status`, `read id` (plain reads) or `read status awaitable` (await obj.awaitable_attrs.status)."""
    if args[1:] == ["awaitable"]:
        return await_only(getattr(case.obj(lamp).awaitable_attrs, args[0]))
    return case.attribute(lamp, args[0])


def app_session(case, d):
    """The application's session for one request: its own (closed after), the one it uses, the
    test's (override-get-db), or one bound to the join recipes' shared connection."""
    if d["uses"]:
        return case.session(d["uses"]), False
    if case.fixture == "override-get-db":
        return case.session(next(n for n, x in case.decls.items() if x["role"] == "test")), False
    eoc = True if d["eoc"] is None else d["eoc"]
    if case.fixture in JOIN_MODES:
        s = case.bound_session(expire_on_commit=eoc)
    else:
        s = make_session(case.engine_for(d["iso"] or case.iso), expire_on_commit=eoc)
    MONITOR.watch(s, d["name"])
    return s, True


def delete(case, d, lamp, args):
    """The application's delete endpoint: load, session.delete, commit or only flush."""
    mode = args[0] if args else case.app
    s, own = app_session(case, d)
    try:
        s.delete(s.execute(select(Lamp).where(Lamp.id == case.lamps[lamp]["id"])).scalar_one())
        s.commit() if mode == "commit" else s.flush()
    finally:
        if own:
            s.close()
    case.app_writes[lamp] = None


def switch_on(case, d, lamp, args):
    """The application's endpoint, with its own session or the one it uses."""
    mode = args[0] if args else case.app
    s, own = app_session(case, d)
    try:
        if own and d["sync_commit"]:
            s.execute(text(f"SET synchronous_commit = {d['sync_commit']}"))
        obj = s.execute(select(Lamp).where(Lamp.id == case.lamps[lamp]["id"])).scalar_one()
        obj.status = "on"
        if mode == "commit":
            start = time.monotonic()
            s.commit()
            case.commit_ms = int((time.monotonic() - start) * 1000)
        else:
            s.flush()
        s.refresh(obj)
        if own and d["sync_commit"]:
            s.execute(text("RESET synchronous_commit"))
    finally:
        if own:
            s.close()
    case.app_writes[lamp] = "on"


def report_lsn(case, d, lamp, args):
    """The application reports the primary's WAL insert position, as its own statement after COMMIT."""
    case.lsn = case.primary_lsn()


def wait_lsn(case, s, lamp, args):
    """Polls the server the session reads (a connection of its own, outside the session's transaction)."""
    if case.lsn is None:
        sys.exit("crosscheck.py: wait-lsn before any report-lsn")
    if case.routes[next(n for n, x in case.sessions.items() if x is s)] == "standby":
        case.wait_for_replay(case.lsn)


def replay_control(pause):
    def step(case, s, lamp, args):
        case.scalar("standby", "SELECT pg_wal_replay_pause()" if pause else "SELECT pg_wal_replay_resume()")
        (case.paused.add if pause else case.paused.discard)("standby")
    return step


def nested(s, operation):
    """The innermost open nested transaction (lampctl's release / rollback-nested act on it); with
    none open, lampctl raises InvalidRequestError (SQLAlchemy has no call to make there)."""
    from sqlalchemy.exc import InvalidRequestError
    found = s.get_nested_transaction()
    if found is None:
        raise InvalidRequestError(f"{operation}: no nested transaction (begin_nested()) is open")
    return found


TEST_STEPS.update({
    "begin-nested": lambda case, s, lamp, args: s.begin_nested(),
    "release": lambda case, s, lamp, args: nested(s, "release").commit(),
    "rollback-nested": lambda case, s, lamp, args: nested(s, "rollback-nested").rollback(),
})


def worker_read(case, d, lamp, args):
    """Another process (a Celery worker, a live-server thread): a connection of its own from a separate
    engine, never the fixture's shared one, reading what is committed now (None: no row it can see)."""
    with sync_engine(case.engine_for("server-default")).connect() as c:
        return c.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": case.lamps[lamp]["id"]}).scalar()


WORKER_STEPS = {"sql-read": worker_read}
APP_STEPS = {"switch-on": switch_on, "delete": delete, "report-lsn": report_lsn}
TEST_STEPS.update({"wait-lsn": wait_lsn, "pause-replay": replay_control(True), "resume-replay": replay_control(False)})


# SQLSTATEs whose failure is a case's outcome, by PostgreSQL's condition name (as lampctl names them).
CONDITIONS = {"40001": "serialization_failure", "40P01": "deadlock_detected", "55P03": "lock_not_available"}


def error_kind(exc):
    """The kind lampctl gives an error that is a case's outcome (None: the run must end)."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError
    if isinstance(exc, DBAPIError):
        orig = exc.orig
        code = getattr(orig, "pgcode", None) or getattr(orig, "sqlstate", None) \
            or getattr(getattr(orig, "__cause__", None), "sqlstate", None)
        return CONDITIONS.get(code)
    if isinstance(exc, SQLAlchemyError):
        return type(exc).__name__
    if isinstance(exc, AttributeError) and str(exc).startswith("'NoneType' object has no attribute"):
        return "AttributeError"  # the test's variable holds None (session.get found no row)
    return None


def observation_error(exc):
    """An error in the observation's own reads as the case's outcome, with no line (lampctl's
    CaseExecution.observationFailed); one error_kind does not name ends the run."""
    kind = error_kind(exc)
    if kind is None:
        raise exc
    return {"kind": kind, "line": None}


STOP_AT_FAILED_EXPECT = False
SHOW_DRIVER = False  # the run includes an async test session: lampctl's JSON has `driver`
SHOW_FIXTURE = False  # the run shows fixture recipes: `fixture` and the other connections' keys


def labels(name, isolation, eoc, app, driver, fixture="independent"):
    keys = {"strategy": name, "isolation": isolation, "expire_on_commit": eoc, "app": app}
    if SHOW_DRIVER:
        keys["driver"] = driver
    if SHOW_FIXTURE:
        keys["fixture"] = fixture
    return keys


def isolation_label(decls, iso, default_iso, fixture="independent"):
    """What ran: the test session's level, then each own-connection app session at another level."""
    spelled = lambda level: default_iso if level == "server-default" else level.replace("-", " ")
    test = spelled(next(d for d in decls.values() if d["role"] == "test")["iso"] or iso)
    others = [f"{d['name']}: {spelled(d['iso'] or iso)}" for d in decls.values()
              if d["role"] == "app" and not d["uses"] and fixture == "independent" and spelled(d["iso"] or iso) != test]
    return f"{test} ({', '.join(others)})" if others else test


def fresh_read(case):
    """What a brand-new connection sees (another process)."""
    with sync_engine(case.engine_for("server-default")).connect() as c:
        return c.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": case.lamps[case.observed]["id"]}).scalar()


def run_case(*args, **kwargs):
    """One case (see _run_case); whatever happens, it leaves no session or connection open."""
    mark = len(OPEN_CASES)
    try:
        return _run_case(*args, **kwargs)
    finally:
        while len(OPEN_CASES) > mark:
            OPEN_CASES.pop().abandon()


def _run_case(url, schema, parsed, iso, eoc, app, driver="sync", stop=None, fixture="independent"):
    """One case as lampctl's JSON line. With --stop-at-failed-expect (pytest: the test ends at a
    failed assert), a case that stopped is run again to its end for `outcome_without_stopping`."""
    if stop is None:
        stop = STOP_AT_FAILED_EXPECT
    name, decls, steps = parsed
    case = Case(url, schema, decls, iso, eoc, app, driver, fixture)
    test_name = case.test_name
    error = stopped = None
    MONITOR.pids = {}
    for line, (who, op, lamp, args) in steps:
        d = decls[who]
        try:
            if d["role"] == "app":
                MONITOR.run(lambda: APP_STEPS[op](case, d, lamp, args))
                if STANDBY_URL and op != "report-lsn":
                    case.app_lsn = case.primary_lsn()
            elif d["role"] == "worker":
                case.worker_reads.append(WORKER_STEPS[op](case, d, lamp, args))
            else:
                MONITOR.run(lambda: test_step(case, who, op, lamp, args))
        except Exception as exc:
            LOADED.clear()
            if MONITOR.found is not None:
                error = {"kind": "blocked", "line": line, "holder": MONITOR.found}
                break
            kind = error_kind(exc)
            if kind is None or not case.lamps:
                raise
            error = {"kind": kind, "line": line}
            break
        case.note_loaded_rows()
        if stop and op == "expect" and not case.expectations[-1]:
            stopped = line
            break
    object_status = tx = behind = tx_writer = object_writer = None
    observed = case.observed
    LOADED.clear()
    reads_from = case.route(test_name)
    if error is None:
        s = case.session(test_name)
        try:
            object_status = case.attribute(observed, "status")
        except Exception as exc:
            error = observation_error(exc)
        else:
            case.note_loaded_rows()
            reads_from = case.routes[test_name]
            try:  # each execute autoflushes first: a pending change to a deleted row fails here
                if reads_from == "standby":
                    # with no transaction open, this statement begins one (after_begin notes the standby first);
                    # under read committed the read below takes a snapshot of its own, so note it again now
                    if s.execute(text("SELECT current_setting('transaction_isolation')")).scalar() == "read committed":
                        case.note_standby_snapshot()
                    behind = case.standby_behind()
                tx = case.read_status(s, observed)
            except Exception as exc:
                error = observation_error(exc)
            if error is None and reads_from == "primary":  # in the test's transaction: who wrote what it sees, and what the object holds
                conn = s.connection()
                visible = visible_version(conn, case.lamps[observed]["id"])
                tx_writer = visible and writer(conn, visible)
                loaded = case.versions.get(case.obj(observed)) if case.obj(observed) is not None else None
                object_writer = writer(conn, loaded) if loaded is not None and loaded[1] == object_status else None
    lamp = case.lamps[observed]
    same = lamp["obj"] is not None and lamp["obj"] is lamp["created"]
    other = fresh_read(case) if SHOW_FIXTURE else None
    if case.conn is not None:  # the join recipes' "committed": what the outer transaction holds now
        committed = case.conn.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp["id"]}).scalar()
    for x in case.sessions.values():
        x.close()
    if case.conn is None:
        committed = fresh_read(case)
    with sync_engine(case.engine_for("server-default")).connect() as c:
        default_iso = c.execute(text("SHOW default_transaction_isolation")).scalar()
    fixture_keys = {}
    if SHOW_FIXTURE:
        if fixture in JOIN_MODES:
            case.tear_down_join()
        else:
            with sync_engine(case.engine_for("server-default")).begin() as c:
                c.execute(text("TRUNCATE lamps"))
        survives = None if error is not None or case.observed not in case.app_writes else tx == case.app_writes[case.observed]
        fixture_keys = {"other_connection_status": other, "after_teardown_status": fresh_read(case),
                        "app_change_survives": survives}
    replica = {}
    if STANDBY_URL:
        if case.paused:
            case.scalar("standby", "SELECT pg_wal_replay_resume()")
        lag = case.wait_for_replay(case.primary_lsn()) if reads_from == "standby" and error is None else None
        replica = {"reads_from": reads_from, "replay_lag_ms": lag, "commit_ms": case.commit_ms}
    case.tear_down_join()
    if not REUSE_ENGINES:
        for e in case.engines.values():
            sync_engine(e).dispose()
    isolation = isolation_label(decls, iso, default_iso, fixture)
    # only in a scenario with a worker session: what its reads returned, step by step
    workers = {"worker_reads": case.worker_reads} if any(d["role"] == "worker" for d in decls.values()) else {}
    named = {"lamp": observed} if observed else {}  # only for a case that observed a named lamp
    if error is not None:
        return {**labels(name, isolation, eoc, app, driver, fixture), **named,
                "object_status": None, "transaction_status": None, "committed_status": committed,
                "same_object": same, "verdict": None, "test_passes": False,
                "outcome": "blocked" if error["kind"] == "blocked" else "error", "layer": None, **workers, **fixture_keys,
                **replica, "error": error}
    expectations = case.expectations
    passes = all(expectations) if expectations else None  # no expect: no test to pass or fail
    verdict = "fresh" if object_status == committed else "stale"
    outcome = "no assertion" if passes is None else {(True, "fresh"): "true pass", (False, "fresh"): "true failure",
                                                     (True, "stale"): "false pass", (False, "stale"): "false failure"}[(passes, verdict)]
    # lampctl's Observation.layer, from the same facts
    if verdict == "fresh":
        layer = None
    elif tx == committed:
        layer = "rolled-back savepoint" if object_writer == "aborted" else "identity map"
    elif reads_from == "standby" and STANDBY_URL and behind:
        layer = "replica"
    else:
        layer = "uncommitted write" if tx_writer == "in progress" else "snapshot"
    more = {}
    if stopped is not None:
        more = {"stopped_at_line": stopped,
                "outcome_without_stopping": run_case(url, schema, parsed, iso, eoc, app, driver, stop=False, fixture=fixture)["outcome"]}
    return {**labels(name, isolation, eoc, app, driver, fixture), **named,
            "object_status": object_status, "transaction_status": tx, "committed_status": committed,
            "same_object": same, "verdict": verdict, "test_passes": passes, "outcome": outcome, "layer": layer, **workers,
            **fixture_keys, **replica, **more}


def main(argv):
    """`crosscheck.py --grammar FILE` alone only checks that every keyword is implemented."""
    global DRIVER, STOP_AT_FAILED_EXPECT, SHOW_DRIVER, SHOW_FIXTURE, STANDBY_URL
    url, files, grammar_path = None, [], None
    isos, eocs, apps, drivers, fixtures = ["server-default"], [False], ["commit"], ["sync"], None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--isolation": isos = argv[i + 1].split(","); i += 2
        elif a == "--expire-on-commit": eocs = [v == "true" for v in argv[i + 1].split(",")]; i += 2
        elif a == "--app": apps = argv[i + 1].split(","); i += 2
        elif a == "--driver": DRIVER = argv[i + 1]; i += 2
        elif a == "--stop-at-failed-expect": STOP_AT_FAILED_EXPECT = True; i += 1
        elif a == "--session-driver": drivers = argv[i + 1].split(","); i += 2
        elif a == "--fixture": fixtures = argv[i + 1].split(","); i += 2
        elif a == "--grammar": grammar_path = argv[i + 1]; i += 2
        elif a == "--standby-url": STANDBY_URL = argv[i + 1].replace("postgresql://", "postgresql+psycopg2://", 1); i += 2
        elif url is None: url = a; i += 1
        else: files.append(a); i += 1
    if grammar_path is None:
        sys.exit("crosscheck.py: --grammar FILE is required (what `lampctl scenario --grammar --json` prints)")
    grammar = Grammar(grammar_path)
    missing = grammar.unimplemented()
    if missing:
        print(f"crosscheck.py: lampctl's grammar has {', '.join(missing)}, which crosscheck.py does not implement;"
              " add it to tools/crosscheck.py before running the cross-check", file=sys.stderr)
        sys.exit(2)
    if url is None:
        return
    url, schema, admin = open_schema(url)
    try:
        for path in files:
            parsed = grammar.parse(path)
            SHOW_DRIVER, SHOW_FIXTURE, cells = file_cells(parsed, isos, eocs, apps, drivers, fixtures)
            for iso, eoc, app, driver, fixture in cells:
                print(json.dumps(run_case(url, schema, parsed, iso, eoc, app, driver, fixture=fixture)))
    finally:
        close_schema(admin, schema)


def file_cells(parsed, isos, eocs, apps, drivers, fixtures=None):
    """A file's cases over the matrix, in lampctl's order:
    (show_driver, show_fixture, [(iso, eoc, app, driver, fixture)...]). A dimension the file fixes
    (a setting, or a switch-on's mode) has that one value; fixtures None: the run names none."""
    _, decls, steps = parsed
    test = next(d for d in decls.values() if d["role"] == "test")
    iso_open = any(d["iso"] is None and not d["uses"] and d["role"] != "worker" for d in decls.values())
    file_drivers = drivers if test["driver"] is None else [test["driver"]]
    file_fixtures = (fixtures or ["independent"]) if test["fixture"] is None else [test["fixture"]]
    show_fixture = fixtures is not None or test["fixture"] is not None or any(f != "independent" for f in file_fixtures)
    app_open = any(decls[who]["role"] == "app" and not args for _line, (who, _op, _lamp, args) in steps)
    fixed = next((args[0] for _line, (who, _op, _lamp, args) in steps if decls[who]["role"] == "app" and args), apps[0])
    cells = [(iso, eoc, app, driver, fixture)
             for fixture in file_fixtures
             for iso in (isos if iso_open else [test["iso"] or "server-default"])
             for eoc in (eocs if test["eoc"] is None else [test["eoc"]])
             for app in (apps if app_open else [fixed])
             for driver in file_drivers]
    return "async" in file_drivers, show_fixture, cells


def open_schema(url):
    """Starts the block monitor and makes a private schema with the lamps table: (url, schema, admin engine)."""
    global MONITOR
    MONITOR = BlockMonitor(url)
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    schema = "lampctl_xcheck_" + uuid.uuid4().hex[:10]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
        c.execute(text(f'CREATE TABLE "{schema}".lamps (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, status text NOT NULL DEFAULT \'off\')'))
    return url, schema, admin


def close_schema(admin, schema):
    """Drops the private schema (and every reused engine's connections)."""
    for e in REUSED_ENGINES.values():
        sync_engine(e).dispose()
    REUSED_ENGINES.clear()
    with admin.begin() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


if __name__ == "__main__":
    # Always inside greenlet_spawn, as AsyncSession runs its sync core: async test sessions (and
    # every session with --driver asyncpg) need it; sync sessions do not notice.
    from sqlalchemy.util import greenlet_spawn
    asyncio.run(greenlet_spawn(main, sys.argv[1:]))
