#!/usr/bin/env python3
"""Item 2: what tests do with objects, several lamps, sync Session and AsyncSession.

Each case: the test session S1 (expire_on_commit=False, the reference flow's setting unless said)
creates lamps a, b, c (all 'off') and commits; the application S2 (own connection, its own session
per request) changes rows and commits; the case then does one ORM operation and prints the SQL,
the values (plain attribute access: in async an expired attribute raises), the object's state
(`inspect`: expired/unloaded attributes, no IO), whether S1 is in a transaction, and what a brand-new
connection sees.

Usage: objects.py URL [--driver sync|async|both] [--case NAME]
"""
from sqlalchemy import inspect, select, text
from common import Lamp, as_, backends, describe, in_tx, main, note, read, tx_sees


def state(obj):
    i = inspect(obj)
    flags = [k for k in ("transient", "pending", "persistent", "detached", "deleted") if getattr(i, k)]
    return f"{flags[0] if flags else '?'} expired={sorted(i.expired_attributes)} modified={i.modified}"


async def setup(env, eoc=False, **kw):
    """S1 creates a, b, c and commits; returns (session, [a, b, c], ids)."""
    s = env.session(env.engine("S1"), expire_on_commit=eoc, **kw)
    as_("S1")
    lamps = [Lamp(), Lamp(), Lamp()]
    s.add_all(lamps)
    await s.commit()
    ids = [inspect(x).identity[0] for x in lamps]
    return s, lamps, ids


async def app(env, action, lamp_id):
    """The application on its own connection: switch-on / switch-off / delete / insert, then commit."""
    as_("S2")
    s2 = env.session(env.engine("S2"))
    if action == "insert":
        s2.add(Lamp(status="on"))
    else:
        lamp = await s2.get(Lamp, lamp_id)
        if action == "delete":
            await s2.delete(lamp)
        else:
            lamp.status = "on" if action == "switch-on" else "off"
    await s2.commit()
    await s2.close()
    as_("S1")


async def get_identity_hit(env):
    """session.get on an identity-map hit after the app switched a on: SQL? autobegin?"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "switch-on", ids[0])
    note("in_transaction before get", in_tx(s))
    got = await s.get(Lamp, ids[0])
    note("get is a", got is a)
    note("a.status", read(a))
    note("in_transaction after get", in_tx(s))
    s.expire(a)
    got = await s.get(Lamp, ids[0])
    note("after expire(a): get is a", got is a)
    note("a.status", read(a))
    note("in_transaction", in_tx(s))
    got = await s.get(Lamp, ids[0], populate_existing=True)
    note("get(populate_existing=True) a.status", read(a))
    await s.close()


async def get_identity_hit_expired_on_commit(env):
    """expire_on_commit=True: create+commit, session.get(a) (a expired): SQL and autobegin"""
    s, (a, b, c), ids = await setup(env, eoc=True)
    note("state(a)", state(a))
    got = await s.get(Lamp, ids[0])
    note("get is a", got is a)
    note("a.status", read(a))
    note("in_transaction", in_tx(s))
    await s.close()


async def select_all_stale(env):
    """a, b, c loaded; the app switches b on and inserts d; S1 select(Lamp) (a list query)"""
    s, lamps, ids = await setup(env)
    for x in lamps:
        await s.refresh(x)
    await app(env, "switch-on", ids[1])
    await app(env, "insert", None)
    rows = (await s.execute(select(Lamp).order_by(Lamp.id))).scalars().all()
    note("rows", [(inspect(r).identity[0], read(r), r in lamps) for r in rows])
    note("S1 transaction sees", (await s.execute(text("SELECT string_agg(id || '=' || status, ',' ORDER BY id) FROM lamps"))).scalar())
    rows = (await s.execute(select(Lamp).order_by(Lamp.id).execution_options(populate_existing=True))).scalars().all()
    note("rows with populate_existing", [(inspect(r).identity[0], read(r)) for r in rows])
    await s.close()


async def for_update_loaded(env):
    """a loaded ('off'); the app switches a on; S1 select(Lamp).with_for_update(): overwritten?"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await app(env, "switch-on", ids[0])
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]).with_for_update())).scalar_one()
    note("with_for_update: got is a", got is a)
    note("a.status", read(a))
    await app_blocked_check(env, s, ids[0])
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]).with_for_update()
                           .execution_options(populate_existing=True))).scalar_one()
    note("with_for_update + populate_existing: a.status", read(a))
    await s.refresh(a, with_for_update=True)
    note("refresh(a, with_for_update=True): a.status", read(a))
    await s.close()


async def app_blocked_check(env, s, lamp_id):
    """Is the row lock held? A third connection tries FOR UPDATE NOWAIT."""
    from sqlalchemy import create_engine
    e = create_engine(env.url.replace("postgresql://", "postgresql+psycopg2://", 1),
                      connect_args={"options": f"-csearch_path={env.schema}"})
    with e.connect() as c:
        try:
            c.execute(text("SELECT 1 FROM lamps WHERE id = :id FOR UPDATE NOWAIT"), {"id": lamp_id})
            note("third connection FOR UPDATE NOWAIT", "got the lock (S1 holds none)")
        except Exception as exc:  # noqa: BLE001
            note("third connection FOR UPDATE NOWAIT", describe(exc))
    e.dispose()


async def refresh_one_attribute(env):
    """a loaded; the app switches a on; S1 refresh(a, ['status'])"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await app(env, "switch-on", ids[0])
    await s.refresh(a, ["status"])
    note("a.status", read(a))
    note("state(a)", state(a))
    await s.close()


async def expunge_then_select(env):
    """a loaded; the app switches a on; S1 expunge(a), then select a"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await app(env, "switch-on", ids[0])
    s.expunge(a)
    note("state(a) after expunge", state(a))
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]))).scalar_one()
    note("got is a", got is a)
    note("got.status, a.status", (read(got), read(a)))
    await s.close()


async def add_detached(env):
    """a loaded then expunged (detached, 'off'); the app switches a on; S1 add(a), select, commit"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    s.expunge(a)
    await app(env, "switch-on", ids[0])
    s.add(a)
    note("state(a) after add", state(a))
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]))).scalar_one()
    note("select: got is a; a.status", (got is a, read(a)))
    await s.commit()
    note("committed after S1 commit", await env.committed(ids[0]))
    await s.close()


async def merge_detached_stale(env):
    """a detached with status 'off' (stale); the app switches a on; S1 merge(a), commit: who wins?"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    s.expunge(a)
    await app(env, "switch-on", ids[0])
    m = await s.merge(a)
    note("merged is a", m is a)
    note("merged.status", read(m))
    note("state(merged)", state(m))
    await s.commit()
    note("committed after S1 commit", await env.committed(ids[0]))
    await s.close()


async def merge_detached_fresh(env):
    """a detached, the test sets a.status='on' on it; S1 merge(a), commit"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    s.expunge(a)
    a.status = "on"
    m = await s.merge(a)
    note("merged.status", read(m))
    note("state(merged)", state(m))
    await s.commit()
    note("committed after S1 commit", await env.committed(ids[0]))
    await s.close()


async def merge_into_loaded(env):
    """a loaded in S1 (session A); a copy from another session says 'on' after the app's commit; merge(copy)"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await app(env, "switch-on", ids[0])
    other = env.session(env.engine("S3"))
    as_("S3")
    copy = await other.get(Lamp, ids[0])
    await other.close()
    as_("S1")
    m = await s.merge(copy)
    note("merged is a", m is a)
    note("a.status", read(a))
    note("state(a)", state(a))
    await s.rollback()
    await s.close()


async def dirty_then_query_autoflush(env):
    """S1 sets a.status='on' (dirty); a query autoflushes; worker sees?; rollback restores?"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    a.status = "on"
    note("state(a)", state(a))
    rows = (await s.execute(select(Lamp).where(Lamp.id == ids[1]))).scalars().all()
    note("S1 transaction sees a", await tx_sees(s, ids[0]))
    note("worker sees a", await env.committed(ids[0]))
    await s.rollback()
    note("state(a) after rollback", state(a))
    note("a.status after rollback", read(a))
    await s.close()


async def dirty_autoflush_false(env):
    """Session(autoflush=False): S1 sets a.status='on'; a query on a; what does it return?"""
    s, (a, b, c), ids = await setup(env, autoflush=False)
    await s.refresh(a)
    a.status = "on"
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]))).scalar_one()
    note("got is a; a.status", (got is a, read(a)))
    note("S1 transaction sees a", await tx_sees(s, ids[0]))
    note("state(a)", state(a))
    await s.rollback()
    note("a.status after rollback", read(a))
    await s.close()


async def app_deletes(env):
    """The app deletes a (commit); S1: get, select, refresh, expired attribute load"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await app(env, "delete", ids[0])
    got = await s.get(Lamp, ids[0])
    note("get(a): got is a", got is a)
    got = (await s.execute(select(Lamp).where(Lamp.id == ids[0]))).scalar_one_or_none()
    note("select a", got)
    note("state(a) after select", state(a))
    try:
        await s.refresh(a)
        note("refresh(a)", "no error; a.status " + read(a))
    except Exception as exc:  # noqa: BLE001
        note("refresh(a)", describe(exc))
    note("state(a) after refresh", state(a))
    note("in_transaction", in_tx(s))
    s.expire(b)
    await app(env, "delete", ids[1])
    note("expired b, app deleted b; b.status", read(b))
    try:
        v = await b.awaitable_attrs.status
        note("await b.awaitable_attrs.status", repr(v))
    except Exception as exc:  # noqa: BLE001
        note("await b.awaitable_attrs.status", describe(exc))
    got = await s.get(Lamp, ids[1])
    note("get(b) after its failed load", got)
    await s.close()


async def savepoint_release(env):
    """a, b loaded; begin_nested(); a.status='on'; nested commit (RELEASE): what is expired?"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await s.refresh(b)
    nested = await s.begin_nested()
    a.status = "on"
    await nested.commit()
    note("state(a), state(b) after release", (state(a), state(b)))
    note("S1 transaction sees a; worker sees a", (await tx_sees(s, ids[0]), await env.committed(ids[0])))
    await s.rollback()
    note("after outer rollback a.status", read(a))
    await s.close()


async def savepoint_rollback(env):
    """a, b loaded; the app switches b on; begin_nested(); a.status='on', flush; rollback nested"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(a)
    await s.refresh(b)
    await app(env, "switch-on", ids[1])
    nested = await s.begin_nested()
    a.status = "on"
    await s.flush()
    c_late = await s.get(Lamp, ids[2])
    await nested.rollback()
    note("state(a), state(b), state(c) after rollback-nested", (state(a), state(b), state(c_late)))
    note("a.status, b.status, c.status", (read(a), read(b), read(c_late)))
    note("in_transaction", in_tx(s))
    backends(env)
    await s.close()


if __name__ == "__main__":
    main([get_identity_hit, get_identity_hit_expired_on_commit, select_all_stale, for_update_loaded,
          refresh_one_attribute, expunge_then_select, add_detached, merge_detached_stale, merge_detached_fresh,
          merge_into_loaded, dirty_then_query_autoflush, dirty_autoflush_false, app_deletes, savepoint_release,
          savepoint_rollback])
