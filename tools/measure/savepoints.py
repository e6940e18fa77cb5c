#!/usr/bin/env python3
"""Savepoint questions for lampctl's begin-nested / release / rollback-nested steps (issue 12),
answered by real SQLAlchemy against a real PostgreSQL. Prints every statement per case.

Usage: savepoints.py URL   (a postgresql:// URL; sync Session + psycopg2)
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


def state(o):
    i = inspect(o)
    return f"{'transient' if i.transient else 'pending' if i.pending else 'persistent' if i.persistent else 'detached'} expired={sorted(i.expired_attributes)} modified={i.modified}"


def main(url):
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    schema = "msp_" + uuid.uuid4().hex[:8]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
        c.execute(text(f"CREATE TABLE {schema}.lamps (id serial primary key, status text not null default 'off')"))
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})

    @event.listens_for(engine, "before_cursor_execute")
    def _sql(conn, cursor, statement, params, context, executemany):
        print("   SQL", statement.split(" FROM")[0][:60], params if params else "")

    @event.listens_for(engine, "begin")
    def _b(conn): print("   SQL BEGIN")

    @event.listens_for(engine, "commit")
    def _c(conn): print("   SQL COMMIT")

    @event.listens_for(engine, "rollback")
    def _r(conn): print("   SQL ROLLBACK")

    @event.listens_for(engine, "savepoint")
    def _sp(conn, name): pass

    @event.listens_for(engine, "release_savepoint")
    def _rs(conn, name, ctx): pass

    @event.listens_for(engine, "rollback_savepoint")
    def _rb(conn, name, ctx): pass

    def case(title, body):
        print("==", title)
        s = Session(engine, expire_on_commit=False)
        a = Lamp(); s.add(a); s.commit()
        try:
            body(s, a)
        except Exception as e:
            print("   raises", type(e).__module__, type(e).__name__, str(e).splitlines()[0][:100])
        s.close()

    case("begin_nested with no transaction: BEGIN and SAVEPOINT when?", lambda s, a: (
        print(" in_tx before", s.in_transaction()), s.begin_nested(), print(" after begin_nested (no SQL above = lazy)"),
        print(" a.status", a.status), s.execute(text("select 1")), print(" state", state(a))))

    case("begin_nested flushes a pending change", lambda s, a: (
        setattr(a, "status", "on"), s.begin_nested(), print(" after begin_nested"), print(" state", state(a))))

    case("two nested: names; release twice; third", lambda s, a: (
        s.begin_nested(), s.execute(text("select 1")), s.begin_nested(), s.execute(text("select 1")),
        s.get_nested_transaction().commit(), s.get_nested_transaction().commit(), print(" nested now", s.get_nested_transaction()),
        s.begin_nested(), s.execute(text("select 1")), s.commit(), print(" after commit"),
        s.begin_nested(), s.execute(text("select 1"))))

    case("commit with nested open", lambda s, a: (
        s.begin_nested(), setattr(a, "status", "on"), s.commit(), print(" state", state(a))))

    case("rollback with nested open", lambda s, a: (
        s.begin_nested(), setattr(a, "status", "on"), s.flush(), s.rollback(), print(" state", state(a)), print(" status", a.status)))

    case("close with nested open", lambda s, a: (
        s.begin_nested(), s.execute(text("select 1")), s.close()))

    def rollback_nested_unrelated(s, a):
        b = Lamp(); s.add(b); s.commit()
        s.execute(select(Lamp).where(Lamp.id == b.id)).scalar_one()
        b.status = "on"  # modified before the savepoint: flushed by begin_nested
        s.begin_nested()
        a.status = "on"  # modified inside, not flushed
        c = Lamp(); s.add(c)  # pending inside
        s.get_nested_transaction().rollback()
        print(" a", state(a), " b", state(b), " c", state(c))

    case("rollback_nested: what is expired / expunged", rollback_nested_unrelated)

    def rollback_nested_flushed_insert(s, a):
        s.begin_nested()
        c = Lamp(); s.add(c); s.flush()
        s.get_nested_transaction().rollback()
        print(" a", state(a), " c", state(c))

    case("rollback_nested: object inserted inside", rollback_nested_flushed_insert)

    def release_then_rollback_nested(s, a):
        s.begin_nested(); a.status = "on"; s.flush()
        s.begin_nested()
        s.get_nested_transaction().commit()  # inner release
        s.get_nested_transaction().rollback()  # outer nested rollback
        print(" a", state(a))

    case("dirty in outer nested, inner released, outer rolled back", release_then_rollback_nested)

    def nested_expire_on_commit(s, a):
        s.expire_on_commit = True
        s.begin_nested(); a.status = "on"; s.get_nested_transaction().commit(); print(" a", state(a))

    case("release with expire_on_commit=True", nested_expire_on_commit)

    case("release with no nested", lambda s, a: print(" get_nested_transaction:", s.get_nested_transaction()))

    def nested_session_on_new_connection(s, a):
        s.begin_nested(); s.execute(text("select 1")); s.get_nested_transaction().commit(); s.commit()
        s.begin_nested(); s.execute(text("select 1"))

    case("savepoint counter after commit (new Connection object)", nested_session_on_new_connection)

    def rollback_nested_after_flush_of_loaded(s, a):
        s.begin_nested()
        s.refresh(a)
        s.get_nested_transaction().rollback()
        print(" a (only loaded inside)", state(a))

    case("refresh inside savepoint, then rollback nested", rollback_nested_after_flush_of_loaded)

    def rollback_then_rollback_nested(s, a):
        s.begin_nested(); s.execute(text("select 1"))
        s.rollback()
        print(" nested after rollback:", s.get_nested_transaction())

    case("rollback then nested?", rollback_then_rollback_nested)

    for end in ("commit", "rollback", "close"):
        case(f"two savepoints emitted, then session.{end}()", lambda s, a, end=end: (
            s.begin_nested(), s.begin_nested(), s.execute(text("select 1")), getattr(s, end)()))

    def pending_then_release(s, a):
        s.begin_nested(); a.status = "on"; c = Lamp(); s.add(c)
        s.get_nested_transaction().commit(); print(" a", state(a), " c", state(c))
        s.rollback(); print(" after rollback a", state(a), " c", state(c))

    case("changes inside released savepoint, then root rollback", pending_then_release)

    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {schema} CASCADE"))


main(sys.argv[1])
