#!/usr/bin/env python3
"""Issue 12 section 2, the parts lampctl's named lamps, get, merge and app-delete steps rely on:
what each ORM call does on None (session.get of a missing row), merge of a stale detached
object, the app deleting a row the test holds, select(Lamp) over several rows.

Usage: named_lamps.py URL [--driver sync|async|both] [--case NAME]
"""
from sqlalchemy import inspect, select
from common import Lamp, as_, attempt, main, note, read
from objects import app, setup, state


async def get_missing_then_none(env):
    """get of a deleted row returns None; then every test step on None"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "delete", ids[0])
    s.expunge(a)
    got = await attempt("get(a) after the app deleted a (a expunged)", lambda: s.get(Lamp, ids[0]))
    await attempt("None.status", lambda: got.status)
    await attempt("None.id", lambda: got.id)
    await attempt("None.status = 'on'", lambda: setattr(got, "status", "on"))
    await attempt("refresh(None)", lambda: s.refresh(got))
    await attempt("expire(None)", lambda: s.expire(got))
    await attempt("expunge(None)", lambda: s.expunge(got))
    await attempt("add(None)", lambda: s.add(got))
    await attempt("merge(None)", lambda: s.merge(got))
    await attempt("delete(None)", lambda: s.delete(got))
    await s.close()


async def merge_stale_detached(env):
    """a loaded 'off', expunged; the app switches a on; a = merge(a); commit"""
    s, (a, b, c), ids = await setup(env)
    s.expunge(a)
    await app(env, "switch-on", ids[0])
    m = await s.merge(a)
    note("merged is a", m is a)
    note("state(merged)", state(m))
    note("merged.status", read(m))
    await s.commit()
    note("committed", await env.committed(ids[0]))
    await s.close()


async def merge_persistent(env):
    """a persistent and loaded in S1; the app switches a on; merge(a)"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "switch-on", ids[0])
    m = await s.merge(a)
    note("merged is a", m is a)
    note("state(a)", state(a))
    await s.commit()
    note("committed", await env.committed(ids[0]))
    await s.close()


async def merge_expired_persistent(env):
    """a persistent and expired in S1; the app switches a on; merge(a)"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "switch-on", ids[0])
    s.expire(a)
    m = await s.merge(a)
    note("merged is a", m is a)
    note("state(a)", state(a))
    note("a.status", read(a))
    await s.close()


async def merge_deleted_row(env):
    """a detached 'off'; the app deletes a; merge(a); commit"""
    s, (a, b, c), ids = await setup(env)
    s.expunge(a)
    await app(env, "delete", ids[0])
    m = await attempt("merge(a)", lambda: s.merge(a))
    if m is not None:
        note("state(merged)", state(m))
        await attempt("commit", lambda: s.commit())
        note("committed", await env.committed(ids[0]))
    await s.close()


async def merge_expired_detached(env):
    """a expired (commit, eoc=True), then close: detached and expired; merge(a)"""
    s, (a, b, c), ids = await setup(env, eoc=True)
    await s.close()
    await app(env, "switch-on", ids[0])
    m = await attempt("merge(a)", lambda: s.merge(a))
    if m is not None:
        note("state(merged)", state(m))
        note("merged.status", read(m))
    await s.close()


async def deleted_then_set_commit(env):
    """a loaded; the app deletes a; a.status='on'; commit"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "delete", ids[0])
    a.status = "on"
    await attempt("commit", lambda: s.commit())
    await s.close()


async def deleted_then_select(env):
    """a loaded; the app deletes a; select a: scalar_one() and scalar_one_or_none()"""
    s, (a, b, c), ids = await setup(env)
    await app(env, "delete", ids[0])
    await attempt("scalar_one_or_none", lambda: _scalar(s, ids[0], "one_or_none"))
    await attempt("scalar_one", lambda: _scalar(s, ids[0], "one"))
    await s.close()


async def _scalar(s, key, how):
    r = await s.execute(select(Lamp).where(Lamp.id == key))
    return getattr(r, "scalar_" + how)()


async def select_all_expunged(env):
    """a expunged, b loaded; the app switches a and b on; select(Lamp) where id >= a"""
    s, (a, b, c), ids = await setup(env)
    await s.refresh(b)
    s.expunge(a)
    await app(env, "switch-on", ids[0])
    await app(env, "switch-on", ids[1])
    rows = (await s.execute(select(Lamp).where(Lamp.id >= ids[0]).order_by(Lamp.id))).scalars().all()
    note("rows[0] is a, rows[1] is b", (rows[0] is a, rows[1] is b))
    note("statuses", [read(x) for x in rows])
    await s.close()


if __name__ == "__main__":
    main([get_missing_then_none, merge_stale_detached, merge_persistent, merge_expired_persistent, merge_deleted_row,
          merge_expired_detached, deleted_then_set_commit, deleted_then_select, select_all_expunged])
