#!/usr/bin/env python3
"""The two stale layers the snapshot used to lump together (issue 12, section 5), measured with real
SQLAlchemy and PostgreSQL: an uncommitted change in the test's own transaction, and a value loaded
inside a savepoint that was later rolled back. Sync Session + psycopg2; prints each case.

Usage: layers.py URL   (a postgresql:// URL)

A. What pg_xact_status says about the xmin of the row version a transaction sees (xmin as a full
   xid8: the epoch taken from the current snapshot's xmax, the xid within 2^31 of it).
B. Which SQLAlchemy instance events (load, refresh and their attrs) fire on each way an object's
   status is filled from a row.
C. savepoint-join: S1 loads the lamp, begins a nested transaction (and sends a statement in it, so
   the SAVEPOINT is sent), the app's switch-on commits (its
   savepoint released inside S1's), S1 reloads the lamp one way or another, S1 rolls the nested
   transaction back: what the object keeps, what the shared connection holds, and the status of
   the xmin the object's value was loaded from.
D. The test's own uncommitted change: the object equals what its transaction sees, not what is
   committed, and the visible row's xmin is in progress.
"""
import sys, uuid
from sqlalchemy import create_engine, event, select, text, inspect, String
from sqlalchemy.orm import Session, DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String, server_default=text("'off'"))


# The xmin of the row version the connection's transaction sees, as xid8, and its status.
XMIN = ("SELECT (n.nx + ((lamps.xmin::text::bigint - (n.nx & 4294967295) + 2147483648) & 4294967295)"
        " - 2147483648)::text FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS nx) n, lamps"
        " WHERE lamps.id = :i")
STATUS = "SELECT pg_xact_status(CAST(:x AS xid8))"

EVENTS = []


@event.listens_for(Lamp, "load")
def _load(target, context):
    EVENTS.append("load")


@event.listens_for(Lamp, "refresh")
def _refresh(target, context, attrs):
    EVENTS.append(f"refresh attrs={sorted(attrs) if attrs is not None else None}")


def xmin(conn, lamp_id):
    return conn.execute(text(XMIN), {"i": lamp_id}).scalar()


def xact_status(conn, x):
    return conn.execute(text(STATUS), {"x": x}).scalar()


def part_a(engine):
    print("== A. pg_xact_status of the visible row version's xmin")
    with engine.connect() as c:
        c.execute(text("INSERT INTO lamps (id, status) VALUES (1000, 'off')")); c.commit()
        show = lambda label: print(f"   {label:<42} status={c.execute(text('SELECT status FROM lamps WHERE id=1000')).scalar()}"
                                   f" xmin-status={xact_status(c, xmin(c, 1000))}")
        show("committed row, new transaction")
        c.execute(text("UPDATE lamps SET status='a' WHERE id=1000")); show("own UPDATE (top level)")
        c.execute(text("SAVEPOINT a")); c.execute(text("UPDATE lamps SET status='b' WHERE id=1000")); show("own UPDATE in an open savepoint")
        c.execute(text("SAVEPOINT b")); c.execute(text("UPDATE lamps SET status='c' WHERE id=1000"))
        inner = xmin(c, 1000)
        c.execute(text("RELEASE SAVEPOINT b")); show("savepoint b released inside a")
        c.execute(text("ROLLBACK TO SAVEPOINT a")); show("after ROLLBACK TO SAVEPOINT a")
        print(f"   {'the released-then-rolled-back version c':<42} xmin-status={xact_status(c, inner)}")
        c.commit()
        print(f"   {'c after the top level committed':<42} xmin-status={xact_status(c, inner)}")


def part_b(engine):
    print("== B. instance events per load path")
    s = Session(engine, expire_on_commit=False)
    a = Lamp(); s.add(a); s.commit()
    lamp_id = inspect(a).identity[0]
    steps = [
        ("read status after create (server default)", lambda: a.status),
        ("select (identity map hit, loaded)", lambda: s.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one()),
        ("select populate_existing", lambda: s.execute(select(Lamp).where(Lamp.id == lamp_id).execution_options(populate_existing=True)).scalar_one()),
        ("refresh", lambda: s.refresh(a)),
        ("refresh ['id']", lambda: s.refresh(a, ["id"])),
        ("refresh ['status']", lambda: s.refresh(a, ["status"])),
        ("expire, read status", lambda: (s.expire(a), a.status)),
        ("expire, select", lambda: (s.expire(a), s.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one())),
        ("expire, get", lambda: (s.expire(a), s.get(Lamp, lamp_id))),
        ("get (identity map hit)", lambda: s.get(Lamp, lamp_id)),
        ("expunge, select (new object)", lambda: (s.expunge(a), s.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one())),
    ]
    for label, step in steps:
        EVENTS.clear()
        step()
        print(f"   {label:<45} {EVENTS or ['no event']}")
    s.close()


def part_c(engine, reload_label, reload):
    """savepoint-join; returns nothing, prints the case."""
    conn = engine.connect(); outer = conn.begin()
    s1 = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    a = Lamp(); s1.add(a); s1.commit()
    lamp_id = inspect(a).identity[0]
    s1.refresh(a)
    loaded_from = {"x": xmin(conn, lamp_id)}
    s1.begin_nested()
    s1.execute(text("SELECT 1"))  # lampctl's `S1 sql-read`: the SAVEPOINT is sent before the nested transaction's first statement
    app = Session(bind=conn, join_transaction_mode="create_savepoint")
    obj = app.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one(); obj.status = "on"; app.commit(); app.close()
    EVENTS.clear()
    a = reload(s1, a, lamp_id) or a
    if EVENTS:
        loaded_from["x"] = xmin(conn, lamp_id)
    events = list(EVENTS)
    s1.get_nested_transaction().rollback()
    EVENTS.clear()
    status = a.status
    if EVENTS:
        loaded_from["x"] = xmin(conn, lamp_id)
    held = conn.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id}).scalar()
    verdict = "stale" if status != held else "fresh"
    print(f"   {reload_label:<34} events={events}; after rollback-nested object={status} connection holds={held}"
          f" -> {verdict}; the object's value was loaded from a version whose xmin is {xact_status(conn, loaded_from['x'])}")
    s1.close(); outer.rollback(); conn.close()


def report_own_write(engine, s1, obj, lamp_id, label):
    """The object, what S1's transaction sees, the committed status, and the status of the visible row's xmin."""
    c = s1.connection()
    tx = c.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id}).scalar()
    visible = xact_status(c, xmin(c, lamp_id))
    with engine.connect() as other:
        committed = other.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id}).scalar()
    print(f"   {label}: object={obj.status} transaction sees={tx} committed={committed}; visible row's xmin is {visible}")


def part_d(engine):
    print("== D. the test's own uncommitted change (independent recipe)")
    s1 = Session(engine, expire_on_commit=False)
    a = Lamp(); s1.add(a); s1.commit()
    lamp_id = inspect(a).identity[0]
    a.status = "on"; s1.flush()
    report_own_write(engine, s1, a, lamp_id, "S1 set on, flush")
    s1.close()
    print("== D'. override-get-db: the app only flushes through the test's session")
    s1 = Session(engine, expire_on_commit=False)
    a = Lamp(); s1.add(a); s1.commit()
    lamp_id = inspect(a).identity[0]
    s1.refresh(a)
    obj = s1.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one(); obj.status = "on"; s1.flush(); s1.refresh(obj)
    report_own_write(engine, s1, a, lamp_id, "app flush, S1 reads")
    s1.close()


def main(url):
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    schema = "msl_" + uuid.uuid4().hex[:8]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
        c.execute(text(f"CREATE TABLE {schema}.lamps (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                       " status text NOT NULL DEFAULT 'off')"))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        import sqlalchemy
        print(f"SQLAlchemy {sqlalchemy.__version__}")
        part_a(engine)
        part_b(engine)
        print("== C. savepoint-join: load, begin-nested, app commits (released inside), reload, rollback-nested")
        by_key = lambda lamp_id: select(Lamp).where(Lamp.id == lamp_id)
        for label, reload in [
            ("no reload", lambda s, a, i: None),
            ("select", lambda s, a, i: s.execute(by_key(i)).scalar_one()),
            ("select populate_existing", lambda s, a, i: s.execute(by_key(i).execution_options(populate_existing=True)).scalar_one()),
            ("select for update", lambda s, a, i: s.execute(by_key(i).with_for_update()).scalar_one()),
            ("refresh", lambda s, a, i: s.refresh(a)),
            ("refresh ['status']", lambda s, a, i: s.refresh(a, ["status"])),
            ("expire, read status", lambda s, a, i: (s.expire(a), a.status) and None),
            ("expire, select", lambda s, a, i: (s.expire(a), s.execute(by_key(i)).scalar_one())[1]),
            ("expire_all, get", lambda s, a, i: (s.expire_all(), s.get(Lamp, i))[1]),
            ("expunge, select (new object)", lambda s, a, i: (s.expunge(a), s.execute(by_key(i)).scalar_one())[1]),
            ("refresh, then set on (same value)", lambda s, a, i: (s.refresh(a), setattr(a, "status", "on")) and None),
            ("refresh, set off, flush, refresh", lambda s, a, i: (s.refresh(a), setattr(a, "status", "off"), s.flush(), s.refresh(a)) and None),
        ]:
            part_c(engine, label, reload)
        part_d(engine)
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


if __name__ == "__main__":
    main(sys.argv[1])
