"""The SQLAlchemy code each scenario step runs (docs/scenario-grammar.md), on a Case
(sqlalchemy_orm.Case): the model (Lamp, the `lamps` table of the run's schema), the steps of a
test, an app and a worker session, and their tables, which the grammar check compares with
lampctl's (`lampctl scenario --grammar --json`).

A step is `step(case, session, lamp, args)`: a test step gets the test's Session, an app or
worker step the session's declaration (sqlalchemy_orm.SessionDecl); lamp "" is the unnamed lamp.
"""
import sys, time, weakref

from sqlalchemy import String, event, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncAttrs
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import await_only


class Base(AsyncAttrs, DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String, server_default=text("'off'"))


# The stale layer's facts (lampctl's RowVersions): which objects a step filled `status` into from a
# query row (SQLAlchemy's load and refresh events); the case notes the row version of each after
# the step and clears the set.
LOADED = weakref.WeakSet()


@event.listens_for(Lamp, "load")
def _loaded(target, context):
    LOADED.add(target)


@event.listens_for(Lamp, "refresh")
def _refreshed(target, context, attrs):
    if attrs is None or "status" in attrs:
        LOADED.add(target)


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


def read_attribute(case, lamp, args):
    """`read status`, `read id` (plain reads) or `read status awaitable` (await obj.awaitable_attrs.status)."""
    if args[1:] == ["awaitable"]:
        return await_only(getattr(case.obj(lamp).awaitable_attrs, args[0]))
    return case.attribute(lamp, args[0])


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
    "begin-nested": lambda case, s, lamp, args: s.begin_nested(),
    "release": lambda case, s, lamp, args: nested(s, "release").commit(),
    "rollback-nested": lambda case, s, lamp, args: nested(s, "rollback-nested").rollback(),
    "wait-lsn": wait_lsn,
    "pause-replay": replay_control(True),
    "resume-replay": replay_control(False),
}


def test_step(case, n, op, lamp, args):
    """Test session n's step; a reads=standby session's create goes through a writer Session on the
    primary (the test starts once the standby has replayed it)."""
    d = case.decls[n]
    if op == "create" and d.reads == "standby":
        e = case.cell.expire_on_commit if d.expire_on_commit is None else d.expire_on_commit
        asynchronous = case.cell.driver == "async"
        writer = case.new_session(case.engine_for(d.isolation or case.cell.isolation, asynchronous), asynchronous,
                                  expire_on_commit=e, autoflush=d.autoflush)
        try:
            create(case, writer, lamp, args)
            if d.sticky is not None:
                case.wrote_at[n] = time.monotonic()
        finally:
            writer.close()
        case.wait_for_replay(case.primary_lsn())
        return
    TEST_STEPS[op](case, case.session(n), lamp, args)
    if op == "close" and d.sticky is not None:
        # A new request: no write of its own; its next Session reads where reads= says.
        case.wrote_at.pop(n, None)
        del case.sessions[n]


def app_session(case, d):
    """The application's session for one request: its own (closed after), the one it uses, the
    test's (override-get-db), or one bound to the join recipes' shared connection."""
    if d.uses:
        return case.session(d.uses), False
    if case.cell.fixture == "override-get-db":
        return case.session(case.test_name), False
    eoc = True if d.expire_on_commit is None else d.expire_on_commit
    if case.joined:
        s = case.bound_session(expire_on_commit=eoc)
    else:
        s = case.new_session(case.engine_for(d.isolation or case.cell.isolation), expire_on_commit=eoc)
    case.monitor.watch(s, d.name)
    return s, True


def delete(case, d, lamp, args):
    """The application's delete endpoint: load, session.delete, commit or only flush."""
    mode = args[0] if args else case.cell.app
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
    mode = args[0] if args else case.cell.app
    s, own = app_session(case, d)
    try:
        if own and d.synchronous_commit:
            s.execute(text(f"SET synchronous_commit = {d.synchronous_commit}"))
        obj = s.execute(select(Lamp).where(Lamp.id == case.lamps[lamp]["id"])).scalar_one()
        obj.status = "on"
        if mode == "commit":
            start = time.monotonic()
            s.commit()
            case.commit_ms = int((time.monotonic() - start) * 1000)
        else:
            s.flush()
        s.refresh(obj)
        if own and d.synchronous_commit:
            s.execute(text("RESET synchronous_commit"))
    finally:
        if own:
            s.close()
    case.app_writes[lamp] = "on"


def report_lsn(case, d, lamp, args):
    """The application reports the primary's WAL insert position, as its own statement after COMMIT."""
    case.lsn = case.primary_lsn()


APP_STEPS = {"switch-on": switch_on, "delete": delete, "report-lsn": report_lsn}


def worker_read(case, d, lamp, args):
    """Another process (a Celery worker, a live-server thread): a connection of its own from a separate
    engine, never the fixture's shared one, reading what is committed now (None: no row it can see)."""
    return case.committed_read(lamp)


WORKER_STEPS = {"sql-read": worker_read}
STEPS = {"test": TEST_STEPS, "app": APP_STEPS, "worker": WORKER_STEPS}
