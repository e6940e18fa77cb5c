"""The SQLAlchemy side of the cross-check: runs lampctl scenario files with real SQLAlchemy 2.x
(tools/sqlalchemy-venv.sh: 2.1.9, psycopg2, asyncpg) and prints the same JSON Lines as
`lampctl scenario --json`, so the two can be diffed (tools/crosscheck.sh, crosscheck-replica.sh).

    python -m xcheck sqlalchemy URL --grammar GRAMMAR.json [--isolation L,..] [--expire-on-commit true,false]
                                [--app commit,flush] [--session-driver sync,async] [--fixture RECIPE,..]
                                [--driver psycopg2|asyncpg] [--stop-at-failed-expect] [--standby-url URL] FILE...
    python -m xcheck sqlalchemy --grammar GRAMMAR.json       (only check the grammar)

(tools/crosscheck.py is the same command line.) --session-driver is lampctl's --driver (the test
session: Session, or AsyncSession on asyncpg, whose plain attribute reads run outside
greenlet_spawn); --driver is the DBAPI driver of the rest: with asyncpg every session is an
AsyncSession on an async engine, driven from one greenlet (as AsyncSession itself does).
GRAMMAR.json is what `lampctl scenario --grammar --json` prints: the runner refuses to run (exit 2)
when lampctl has a keyword it does not implement (LINES, ROLES, SETTINGS here, the step tables
of sqlalchemy_steps).
With --standby-url (a hot standby of URL) every case is a replica run, as `lampctl scenario
--replica`: a reads=standby test session is a Session on a second engine, the standby's (with sticky=,
the primary's while the session's own write is recent, until it closes); its create goes through a
writer Session on the primary and then waits for replay; the lines get reads_from, replay_lag_ms and
commit_ms (the last two measured: tools/crosscheck-replica.sh compares them bucketed, not exactly).

The run's settings are a Settings value; a Runner (one private schema `lampctl_xcheck_<random>`,
the block monitor, the engines) runs one case at a time (`Runner.run_case`, what
tools/crosscheck-fuzz.py calls), each a Case that leaves no session or connection open.
"""
import argparse, asyncio, json, sys, time, uuid, weakref
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import greenlet, psycopg2.extensions
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from . import scenario, verdict
from .core import comma_list
from .monitor import BlockMonitor
from .sqlalchemy_steps import APP_STEPS, LOADED, STEPS, WORKER_STEPS, test_step

LEVELS = {"read-committed": "READ COMMITTED", "repeatable-read": "REPEATABLE READ",
          "serializable": "SERIALIZABLE", "server-default": None}
RECIPES = ("independent", "override-get-db", "savepoint-join", "rollback-per-test")
# The fixture recipes whose sessions are all bound to one connection inside `outer = connection.begin()`.
JOIN_MODES = {"savepoint-join": "create_savepoint", "rollback-per-test": "rollback_only"}


# ---- the run's settings and the command line

@dataclass(frozen=True)
class Matrix:
    """The values a run names for each dimension of the case matrix; a file that fixes one (a
    session setting, or a switch-on's mode) runs its own value. fixtures None: the run names no recipe."""
    isolations: tuple = ("server-default",)
    expire_on_commit: tuple = (False,)
    apps: tuple = ("commit",)
    drivers: tuple = ("sync",)  # the test session's (--session-driver)
    fixtures: tuple = None


@dataclass(frozen=True)
class Settings:
    """One run, from the command line: url None only checks the grammar."""
    url: str
    files: tuple
    grammar: str
    matrix: Matrix = Matrix()
    dbapi: str = "psycopg2"  # --driver
    stop_at_failed_expect: bool = False
    standby_url: str = None


def parse_args(argv, prog):
    p = argparse.ArgumentParser(prog=prog, description="Run lampctl scenario files with real SQLAlchemy 2.x; "
                                                       "one JSON line per case, as `lampctl scenario --json`.")
    p.add_argument("url", nargs="?", help="a PostgreSQL URL (postgresql://...)")
    p.add_argument("files", nargs="*", metavar="FILE")
    p.add_argument("--grammar", metavar="FILE", help="lampctl's grammar tables (`lampctl scenario --grammar --json`)")
    p.add_argument("--isolation", type=comma_list(tuple(LEVELS)), default=("server-default",), metavar="LEVEL,...")
    p.add_argument("--expire-on-commit", type=comma_list(("true", "false")), default=("false",), metavar="true,false")
    p.add_argument("--app", type=comma_list(("commit", "flush")), default=("commit",), metavar="commit,flush")
    p.add_argument("--session-driver", type=comma_list(("sync", "async")), default=("sync",), metavar="sync,async",
                   help="the test session's: Session, or AsyncSession (lampctl's --driver)")
    p.add_argument("--fixture", type=comma_list(RECIPES), metavar="RECIPE,...")
    p.add_argument("--driver", choices=("psycopg2", "asyncpg"), default="psycopg2", help="the DBAPI driver")
    p.add_argument("--stop-at-failed-expect", action="store_true", help="end a case at its first failed expect (pytest)")
    p.add_argument("--standby-url", metavar="URL", help="a hot standby of URL: every case is a replica run")
    a = p.parse_intermixed_args(argv)
    matrix = Matrix(a.isolation, tuple(v == "true" for v in a.expire_on_commit), a.app, a.session_driver, a.fixture)
    return Settings(a.url, tuple(a.files), a.grammar, matrix, a.driver, a.stop_at_failed_expect, a.standby_url)


# ---- scenario files

LINES = {"scenario", "summary", "session"}
ROLES = {"test", "app", "worker"}


@dataclass
class SessionDecl:
    """A `session NAME ROLE [SETTING...]` line; None: the setting is not given (the case's value)."""
    name: str
    role: str
    uses: str = None
    expire_on_commit: bool = None
    isolation: str = None
    driver: str = None
    autoflush: bool = True
    reads: str = "primary"
    sticky: int = None  # milliseconds
    synchronous_commit: str = None
    fixture: str = None


def duration_ms(value):
    return int(value[:-2]) if value.endswith("ms") else int(value[:-1]) * 1000


# Each session setting: the SessionDecl field it sets and its value from the file's word.
SETTINGS = {
    "uses": ("uses", str),
    "expire_on_commit": ("expire_on_commit", lambda value: value == "true"),
    "isolation": ("isolation", str),
    "driver": ("driver", str),
    "autoflush": ("autoflush", lambda value: value == "true"),
    "reads": ("reads", str),
    "sticky": ("sticky", duration_ms),
    "synchronous_commit": ("synchronous_commit", str),
    "fixture": ("fixture", str),
}


class Grammar(scenario.Grammar):
    """lampctl's keyword tables (`scenario --grammar --json`, read as the Django side reads them),
    checked against this runner's, and the parser of a file lampctl has accepted."""

    def __init__(self, path):
        super().__init__(path)

    def unimplemented(self):
        """What lampctl's grammar has and this runner does not implement, as phrases."""
        missing = []
        for kind, theirs, ours in (("line keyword", self.lines, LINES), ("session kind", self.roles, ROLES),
                                   ("session setting", self.settings, SETTINGS)):
            missing += [f"{kind} '{k}'" for k in sorted(set(theirs) - set(ours))]
        for keyword, entry in self.steps.items():
            for kind in entry.get("sessions", [entry["session"]]):  # every kind of session that may perform it
                if keyword not in STEPS.get(kind, {}):
                    missing.append(f"{kind} step '{keyword}'")
        return missing

    def parse(self, path):
        """A scenario file (lampctl has already accepted it) as a scenario.Scenario of SessionDecls
        and scenario.Steps."""
        sessions, steps, name = {}, [], None
        with open(path, encoding="utf-8-sig") as f:
            for number, raw in enumerate(f, start=1):
                toks = raw.split("#", 1)[0].split()
                if not toks or toks[0] == "summary":
                    continue
                if toks[0] == "scenario":
                    name = toks[1]
                elif toks[0] == "session":
                    decl = SessionDecl(toks[1], toks[2])
                    rest = toks[3:]
                    while rest:
                        key, _, value = rest[0].partition("=")
                        if self.settings[key]["values"] is None:  # `uses NAME`
                            value, rest = rest[1], rest[1:]
                        attribute, convert = SETTINGS[key]
                        setattr(decl, attribute, convert(value))
                        rest = rest[1:]
                    sessions[toks[1]] = decl
                else:
                    if toks[1] not in self.steps:
                        raise scenario.FileError(f"{path}: unknown step '{toks[1]}'")
                    args, lamp = toks[2:], ""
                    if self.steps[toks[1]]["lamp"] and args and self.is_lamp_name(args[0]):
                        lamp, args = args[0], args[1:]
                    steps.append(scenario.Step(number, toks[0], toks[1], lamp, args))
        return scenario.Scenario(path, name, sessions, steps)


# ---- the case matrix

class Cell(NamedTuple):
    """One case of a file: the test's isolation, expire_on_commit, the app's mode, the test session's driver, the recipe."""
    isolation: str
    expire_on_commit: bool
    app: str
    driver: str
    fixture: str


class FileCells(NamedTuple):
    """A file's cases in lampctl's order, and whether its lines show `driver` and the fixture keys."""
    show_driver: bool
    show_fixture: bool
    cells: list


def file_cells(parsed, matrix):
    """A file's cases over the matrix, in lampctl's order (fixture, isolation, expire_on_commit,
    app, driver). A dimension the file fixes (a setting, or a switch-on's mode) has that one value."""
    decls, test = parsed.sessions, parsed.test
    iso_open = any(d.isolation is None and not d.uses and d.role != "worker" for d in decls.values())
    file_drivers = list(matrix.drivers) if test.driver is None else [test.driver]
    file_fixtures = list(matrix.fixtures or ["independent"]) if test.fixture is None else [test.fixture]
    show_fixture = matrix.fixtures is not None or test.fixture is not None or any(f != "independent" for f in file_fixtures)
    app_open = any(decls[s.session].role == "app" and not s.args for s in parsed.steps)
    fixed = next((s.args[0] for s in parsed.steps if decls[s.session].role == "app" and s.args), matrix.apps[0])
    cells = [Cell(iso, eoc, app, driver, fixture)
             for fixture in file_fixtures
             for iso in (matrix.isolations if iso_open else [test.isolation or "server-default"])
             for eoc in (matrix.expire_on_commit if test.expire_on_commit is None else [test.expire_on_commit])
             for app in (matrix.apps if app_open else [fixed])
             for driver in file_drivers]
    return FileCells("async" in file_drivers, show_fixture, cells)


@dataclass(frozen=True)
class CaseOptions:
    """How one case runs and is labelled: the DBAPI driver, whether it ends at its first failed
    expect, whether its line shows `driver` (the run has an async test session) and the fixture
    keys (the run shows recipes)."""
    dbapi: str = "psycopg2"
    stop_at_failed_expect: bool = False
    show_driver: bool = False
    show_fixture: bool = False


# ---- row versions (the stale layer's facts)

# The xmin of the row version the connection's transaction sees, as xid8 (the epoch from the current
# snapshot's xmax, the xid within 2^31 of it), and its status; then pg_xact_status of such a version.
VISIBLE_VERSION = ("SELECT (n.nx + ((lamps.xmin::text::bigint - (n.nx & 4294967295) + 2147483648) & 4294967295)"
                   " - 2147483648)::text, lamps.status FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS nx) n,"
                   " lamps WHERE lamps.id = :i")
WRITER_STATUS = "SELECT pg_xact_status(CAST(CAST(:x AS text) AS xid8))"  # text: asyncpg has no xid8 codec
REPLAYED_SQL = "SELECT pg_last_wal_replay_lsn() >= CAST(CAST(:l AS text) AS pg_lsn)"


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


def sync_engine(engine):
    return getattr(engine, "sync_engine", engine)


# ---- the block monitor

class SessionMonitor(BlockMonitor):
    """The shared block monitor, told about sessions instead of connections: the backend each
    session's transaction last began on (SQLAlchemy's after_begin), so a session's earlier
    backend is forgotten and one pooled backend may carry several sessions' names."""

    def __init__(self, dsn):
        super().__init__(dsn)
        self.sessions = {}  # name -> backend pid

    def watch(self, session, label):
        """Note which backend `session` runs on whenever its transaction begins."""
        def began(_session, _transaction, connection):
            raw = connection.connection.driver_connection
            pid = raw.get_server_pid() if hasattr(raw, "get_server_pid") else raw.info.backend_pid
            with self.lock:
                self.sessions[label] = pid
        event.listen(session, "after_begin", began)

    def reset(self):
        """A new case: no session known."""
        with self.lock:
            self.sessions = {}

    def backends(self):
        with self.lock:
            named = list(self.sessions.items())
        backends = {}
        for label, pid in named:
            backends.setdefault(pid, []).append(label)
        return backends


# ---- the runner and its cases

class Runner:
    """One run's database side: a private schema with the lamps table, the block monitor, and
    (reuse_engines, the fuzzer's) engines pooled across cases. Close it (or use `with`) to drop the
    schema."""

    def __init__(self, url, standby_url=None, reuse_engines=False):
        self.monitor = SessionMonitor(url)
        self.url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
        self.standby_url = standby_url and standby_url.replace("postgresql://", "postgresql+psycopg2://", 1)
        self.reuse_engines, self.reused_engines = reuse_engines, {}
        self.open_cases = []  # the cases under way (run_case abandons those it made)
        self.schema = "lampctl_xcheck_" + uuid.uuid4().hex[:10]
        self.admin = create_engine(self.url)
        with self.admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            c.execute(text(f'CREATE TABLE "{self.schema}".lamps (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, status text NOT NULL DEFAULT \'off\')'))

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def close(self):
        """Drops the private schema (and every reused engine's connections)."""
        for e in self.reused_engines.values():
            sync_engine(e).dispose()
        self.reused_engines.clear()
        with self.admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{self.schema}" CASCADE'))
        self.admin.dispose()
        self.monitor.close()

    def run_case(self, parsed, cell, options=CaseOptions()):
        """One case as lampctl's JSON line (a dict in its key order); whatever happens, it leaves
        no session or connection open. An error that is not a case's outcome ends the run (raised)."""
        mark = len(self.open_cases)
        try:
            facts = self._observe(parsed, cell, options)
            again = None
            if facts.error is None and facts.stopped is not None:
                # pytest's test ends at a failed assert: the case again to its end, for outcome_without_stopping
                again = verdict.outcome(self._observe(parsed, cell, replace(options, stop_at_failed_expect=False)))
            return line(facts, again)
        finally:
            while len(self.open_cases) > mark:
                self.open_cases.pop().abandon()

    def _observe(self, parsed, cell, options):
        """Runs a case's steps and its observation: its Facts."""
        case = Case(self, parsed, cell, options)
        test_name, decls, monitor = case.test_name, case.decls, self.monitor
        error = stopped = None
        monitor.reset()
        for step in parsed.steps:
            who, op, lamp, args = step.session, step.keyword, step.lamp, step.args
            d = decls[who]
            try:
                if d.role == "app":
                    monitor.run(lambda: APP_STEPS[op](case, d, lamp, args))
                    if self.standby_url and op != "report-lsn":
                        case.app_lsn = case.primary_lsn()
                elif d.role == "worker":
                    case.worker_reads.append(WORKER_STEPS[op](case, d, lamp, args))
                else:
                    monitor.run(lambda: test_step(case, who, op, lamp, args))
            except Exception as exc:
                LOADED.clear()
                if monitor.found is not None:
                    error = {"kind": "blocked", "line": step.line, "holder": monitor.found}
                    break
                kind = error_kind(exc)
                if kind is None or not case.lamps:
                    raise
                error = {"kind": kind, "line": step.line}
                break
            case.note_loaded_rows()
            if options.stop_at_failed_expect and op == "expect" and not case.expectations[-1]:
                stopped = step.line
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
        facts = Facts(parsed.name, cell, options, observed, object_status=object_status, transaction_status=tx,
                      same_object=lamp["obj"] is not None and lamp["obj"] is lamp["created"],
                      expectations=case.expectations, error=error, stopped=stopped, reads_from=reads_from,
                      behind=behind, tx_writer=tx_writer, object_writer=object_writer,
                      replica_run=bool(self.standby_url), app_wrote=observed in case.app_writes,
                      app_write=case.app_writes.get(observed))
        if options.show_fixture:
            facts.other_connection_status = case.committed_read(observed)
        if case.conn is not None:  # the join recipes' "committed": what the outer transaction holds now
            facts.committed_status = case.conn.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp["id"]}).scalar()
        for x in case.sessions.values():
            x.close()
        if case.conn is None:
            facts.committed_status = case.committed_read(observed)
        with sync_engine(case.engine_for("server-default")).connect() as c:
            default_iso = c.execute(text("SHOW default_transaction_isolation")).scalar()
        if options.show_fixture:
            if case.joined:
                case.tear_down_join()
            else:
                with sync_engine(case.engine_for("server-default")).begin() as c:
                    c.execute(text("TRUNCATE lamps"))
            facts.after_teardown_status = case.committed_read(observed)
        if self.standby_url:
            if case.paused:
                case.scalar("standby", "SELECT pg_wal_replay_resume()")
            facts.replay_lag_ms = case.wait_for_replay(case.primary_lsn()) if reads_from == "standby" and error is None else None
            facts.commit_ms = case.commit_ms
        case.tear_down_join()
        if not self.reuse_engines:
            for e in case.engines.values():
                sync_engine(e).dispose()
        facts.isolation = isolation_label(decls, cell, default_iso)
        if parsed.has_role("worker"):  # only in a scenario with a worker session: what its reads returned, step by step
            facts.worker_reads = case.worker_reads
        return facts


class Case:
    """One case's state while its steps run: sessions, lamps, the test's objects, expectations."""

    def __init__(self, runner, parsed, cell, options):
        self.runner, self.monitor, self.url, self.schema = runner, runner.monitor, runner.url, runner.schema
        self.decls, self.cell, self.options = parsed.sessions, cell, options
        self.test_name = parsed.test.name  # the session the observation reads
        self.joined = cell.fixture in JOIN_MODES  # every session bound to one shared connection
        self.engines, self.sessions = {}, {}
        # lamps: name ("" the unnamed lamp) -> {"id", "obj" (None after a get found no row), "created"}
        self.lamps, self.order, self.expected, self.expectations = {}, [], None, []
        self.routes, self.wrote_at, self.lsn, self.paused, self.commit_ms = {}, {}, None, set(), None
        self.app_lsn = None  # with a standby: the primary's WAL position after the app's last request
        # the test's transaction on the standby: (app_lsn, replayed?) noted just before it took its snapshot
        self.standby_snapshot = None
        self.conn = self.async_conn = self.outer = None  # the join recipes' shared connection
        # the application's last write to each lamp it wrote: "on" (switch-on) or None (delete: no row)
        self.app_writes = {}
        self.worker_reads = []  # what each worker sql-read returned
        self.versions = weakref.WeakKeyDictionary()  # object -> (xid8, status) its status was last loaded from, or None
        runner.open_cases.append(self)

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

    @property
    def asyncpg(self):
        return self.options.dbapi == "asyncpg"

    def make_engine(self, url, asynchronous=False, **kw):
        if self.asyncpg or asynchronous:
            from sqlalchemy.ext.asyncio import create_async_engine
            options = kw.pop("connect_args", {}).get("options", "")
            args = {"server_settings": {"search_path": options.split("=", 1)[1]}} if options else {}
            return create_async_engine(url.replace("+psycopg2", "+asyncpg"), connect_args=args, **kw)
        return create_engine(url, **kw)

    def new_session(self, engine, asynchronous=False, **kw):
        """A Session on engine (the sync_session of an AsyncSession with asyncpg or an async test session)."""
        if self.asyncpg or asynchronous:
            from sqlalchemy.ext.asyncio import AsyncSession
            return AsyncSession(engine, **kw).sync_session
        return Session(engine, **kw)

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
                conn = self.conn if self.joined else (s.connection() if s.in_transaction() else None)
            key = inspect(obj).identity
            self.versions[obj] = visible_version(conn, key[0]) if conn is not None and key and server_in_transaction(conn) else None
        LOADED.clear()

    def shared_connection(self):
        """The join recipes' `connection = engine.connect(); outer = connection.begin()`, on the test's engine."""
        if self.conn is None:
            test = self.decls[self.test_name]
            engine = self.engine_for(test.isolation or self.cell.isolation, self.cell.driver == "async")
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
        mode = JOIN_MODES[self.cell.fixture]
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
            runner = self.runner
            key = (self.schema, self.options.dbapi, level, asynchronous, cluster)
            engine = runner.reused_engines.get(key) if runner.reuse_engines else None
            if engine is None:
                kw = {"isolation_level": LEVELS[level]} if LEVELS[level] else {}
                engine = self.make_engine(runner.standby_url if cluster == "standby" else self.url, asynchronous,
                                          connect_args={"options": f"-csearch_path={self.schema}"}, **kw)
                if runner.reuse_engines:
                    runner.reused_engines[key] = engine
            self.engines[(level, asynchronous, cluster)] = engine
        return self.engines[(level, asynchronous, cluster)]

    def route(self, n):
        """Where session n reads: its reads= server, or the primary while a sticky= window after
        its own write is open (decided when its Session is made, as a new request's routing is)."""
        d = self.decls[n]
        if n in self.sessions:
            return self.routes[n]
        wrote = self.wrote_at.get(n)
        if d.sticky is not None and wrote is not None and (time.monotonic() - wrote) * 1000 < d.sticky:
            return "primary"
        return d.reads

    def session(self, n):
        d = self.decls[n]
        if n not in self.sessions:
            level = d.isolation or self.cell.isolation
            e = self.cell.expire_on_commit if d.expire_on_commit is None else d.expire_on_commit
            asynchronous = d.role == "test" and self.cell.driver == "async"
            self.routes[n] = self.route(n)
            if self.joined:  # bound to the shared connection, on the primary
                self.sessions[n] = self.bound_session(expire_on_commit=e, autoflush=d.autoflush)
            else:
                self.sessions[n] = self.new_session(self.engine_for(level, asynchronous, self.routes[n]), asynchronous,
                                                    expire_on_commit=e, autoflush=d.autoflush)
            if self.routes[n] == "primary" or self.joined:
                self.monitor.watch(self.sessions[n], n)
            elif self.runner.standby_url and n == self.test_name:
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

    def scalar_row(self, cluster, sql, **params):
        """One row from a connection of its own on a server (outside every session)."""
        with sync_engine(self.engine_for("server-default", False, cluster)).connect() as c:
            row = c.execute(text(sql), params).one()
            c.commit()
            return tuple(row)

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

    def wait_for_replay(self, lsn, timeout=60.0):
        """Polls the standby every 5 ms until it has replayed lsn; the milliseconds it took. Fails
        after `timeout` seconds in which its replay position did not move (as lampctl's ReplayWait:
        a standby still catching up on a backlog can take longer in all; 60 s, past the 30 s a
        standby waits before it cancels a query that holds up replay)."""
        start = last_progress = time.monotonic()
        last = None
        while True:
            try:
                done, replayed = self.scalar_row("standby", REPLAYED_SQL + ", pg_last_wal_replay_lsn()::text", l=lsn)
            except Exception as error:  # replay cancels a poll that meets an old cleanup record: poll again
                if "conflict with recovery" not in str(error):
                    raise
                done, replayed = False, last
            if done:
                return int((time.monotonic() - start) * 1000)
            now = time.monotonic()
            if replayed != last:
                last, last_progress = replayed, now
            elif now - last_progress > timeout:
                raise RuntimeError(f"the standby did not replay up to {lsn}: stuck at {replayed} for {timeout} s")
            time.sleep(0.005)

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
        return greenlet.greenlet(read).switch() if self.cell.driver == "async" else read()

    def read_status(self, s, lamp):
        return s.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": self.lamps[lamp]["id"]}).scalar()

    def committed_read(self, lamp):
        """What a brand-new connection sees (another process), from a separate engine, never the
        join recipes' shared connection (None: no row it can see)."""
        with sync_engine(self.engine_for("server-default")).connect() as c:
            return c.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": self.lamps[lamp]["id"]}).scalar()


# ---- errors that are a case's outcome

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


# ---- the JSON line

@dataclass
class Facts:
    """What one case observed (verdict.outcome and verdict.verdict read error, expectations,
    object_status and committed_status). `error` is {kind, line[, holder]} or None; `stopped`
    the line of the failed expect a --stop-at-failed-expect case ended at; `reads_from` where the
    test session read; `behind` whether its standby snapshot came before the replay of the app's
    last request; `tx_writer` and `object_writer` pg_xact_status of the row version its transaction
    saw and of the one its object's status was loaded from; `app_write` the app's last write to the
    observed lamp ("on", None for a delete; `app_wrote` False when it wrote none)."""
    strategy: str
    cell: Cell
    options: CaseOptions
    lamp: str
    isolation: str = None
    object_status: object = None
    transaction_status: object = None
    committed_status: object = None
    same_object: bool = False
    expectations: list = field(default_factory=list)
    error: dict = None
    stopped: int = None
    reads_from: str = None
    behind: bool = None
    tx_writer: str = None
    object_writer: str = None
    worker_reads: list = None
    other_connection_status: object = None
    after_teardown_status: object = None
    app_wrote: bool = False
    app_write: object = None
    replica_run: bool = False
    replay_lag_ms: int = None
    commit_ms: int = None


def isolation_label(decls, cell, default_iso):
    """What ran (the JSON's isolation object): the test session's setting and level, then each
    app session with a connection of its own and its level."""
    spelled = lambda level: default_iso if level == "server-default" else level.replace("-", " ")
    requested = next(d for d in decls.values() if d.role == "test").isolation or cell.isolation
    apps = {d.name: spelled(d.isolation or cell.isolation) for d in decls.values()
            if d.role == "app" and not d.uses and cell.fixture == "independent"}
    return {"requested": requested, "test": spelled(requested), "applications": apps}


def layer(facts):
    """lampctl's Observation.layer, from the same facts (stale cases only)."""
    if verdict.verdict(facts) != "stale":
        return None
    if facts.transaction_status == facts.committed_status:
        return "rolled-back savepoint" if facts.object_writer == "aborted" else "identity map"
    if facts.reads_from == "standby" and facts.replica_run and facts.behind:
        return "replica"
    return "uncommitted write" if facts.tx_writer == "in progress" else "snapshot"


def line(facts, outcome_without_stopping=None):
    """The JSON object (a dict in lampctl's key order) for one case."""
    failed = facts.error is not None
    cell, options = facts.cell, facts.options
    out = {"schema_version": verdict.SCHEMA_VERSION, "strategy": facts.strategy, "isolation": facts.isolation, "expire_on_commit": cell.expire_on_commit,
           "app": cell.app}
    if options.show_driver:
        out["driver"] = cell.driver
    if options.show_fixture:
        out["fixture"] = cell.fixture
    if facts.lamp:  # only for a case that observed a named lamp
        out["lamp"] = facts.lamp
    out.update({
        "object_status": None if failed else facts.object_status,
        "transaction_status": None if failed else facts.transaction_status,
        "committed_status": facts.committed_status,
        "same_object": facts.same_object,
        "verdict": verdict.verdict(facts),
        "test_passes": False if failed else (all(facts.expectations) if facts.expectations else None),
        "outcome": verdict.outcome(facts),
        "layer": layer(facts),
    })
    if facts.worker_reads is not None:
        out["worker_reads"] = facts.worker_reads
    if options.show_fixture:
        survives = None if failed or not facts.app_wrote else facts.transaction_status == facts.app_write
        out.update({"other_connection_status": facts.other_connection_status,
                    "after_teardown_status": facts.after_teardown_status, "app_change_survives": survives})
    if facts.replica_run:
        out.update({"reads_from": facts.reads_from, "replay_lag_ms": facts.replay_lag_ms, "commit_ms": facts.commit_ms})
    if failed:
        out["error"] = facts.error
    elif facts.stopped is not None:
        out.update({"stopped_at_line": facts.stopped, "outcome_without_stopping": outcome_without_stopping})
    return out


# ---- the command

def main(argv, prog="xcheck sqlalchemy", home="tools/xcheck/sqlalchemy_steps.py"):
    """Checks lampctl's grammar, then runs every file over the matrix, one JSON line per case.
    `home` is where a refusal tells the reader to add a missing keyword. Call it inside
    greenlet_spawn (`run`): async sessions need it; sync sessions do not notice."""
    settings = parse_args(argv, prog)
    if settings.grammar is None:
        sys.exit(f"{prog}: --grammar FILE is required (what `lampctl scenario --grammar --json` prints)")
    grammar = Grammar(settings.grammar)
    missing = grammar.unimplemented()
    if missing:
        print(f"{prog}: lampctl's grammar has {', '.join(missing)}, which {prog} does not implement;"
              f" add it to {home} before running the cross-check", file=sys.stderr)
        sys.exit(2)
    if settings.url is None:
        return
    with Runner(settings.url, settings.standby_url) as runner:
        for path in settings.files:
            parsed = grammar.parse(path)
            show_driver, show_fixture, cells = file_cells(parsed, settings.matrix)
            options = CaseOptions(settings.dbapi, settings.stop_at_failed_expect, show_driver, show_fixture)
            for cell in cells:
                print(json.dumps(runner.run_case(parsed, cell, options)))


def run(argv, **kw):
    """main inside greenlet_spawn, as AsyncSession runs its sync core."""
    from sqlalchemy.util import greenlet_spawn
    asyncio.run(greenlet_spawn(main, argv, **kw))
