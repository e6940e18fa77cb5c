#!/usr/bin/env python3
"""The rules behind the random cross-check's disagreements (tools/crosscheck-fuzz.py seeds 122, 279,
730, 849, 1319, 1393, 1629 and two older reports): a changed object whose key expired, when its row
is gone; a failed flush and the session afterwards; merge's autoflush; merge of an expired detached
object whose row is gone.

Usage: fuzz_seeds.py URL [--driver sync|async|both] [--case NAME]
"""
from sqlalchemy import inspect, select, text
from common import Lamp, as_, attempt, main, note, read
from objects import app, setup, state


async def expired_changed(env, deleted):
    """S1 (expire_on_commit) creates a, sets a.status = 'on' (a expired, key included); the app deletes a or not."""
    s, (a, b, c), ids = await setup(env, eoc=True)
    a.status = "on"
    if deleted:
        await app(env, "delete", ids[0])
    return s, a, ids[0]


async def after(s, a):
    note("state(a)", state(a))
    await attempt("then SELECT 1", lambda: s.execute(text("SELECT 1")))
    await attempt("then commit", lambda: s.commit())
    await attempt("then rollback", lambda: s.rollback())
    await s.close()


async def flush_changed_expired_deleted(env):
    """seed 1319, older re-add report: flush of a changed object whose key expired, row gone"""
    s, a, key = await expired_changed(env, True)
    await attempt("flush", lambda: s.flush())
    await after(s, a)


async def flush_changed_expired_row_exists(env):
    """the same with the row there: the SELECT before the UPDATE"""
    s, a, key = await expired_changed(env, False)
    await attempt("flush", lambda: s.flush())
    await after(s, a)


async def get_changed_expired_deleted(env):
    """seed 122: get of that object: its load's autoflush fails, get swallows ObjectDeletedError"""
    s, a, key = await expired_changed(env, True)
    await attempt("get(a)", lambda: s.get(Lamp, key))
    await after(s, a)


async def get_changed_expired_row_exists(env):
    """the same with the row there"""
    s, a, key = await expired_changed(env, False)
    got = await attempt("get(a)", lambda: s.get(Lamp, key))
    note("got is a", got is a)
    await after(s, a)


async def merge_self_changed(env):
    """seeds 279, 730, 849, 1393, 1629: merge of a changed object already in the session"""
    for autoflush in (True, False):
        note("autoflush", autoflush)
        s, (a, b, c), ids = await setup(env, autoflush=autoflush)
        a.status = "on"
        m = await attempt("merge(a)", lambda: s.merge(a))
        note("merged is a", m is a)
        note("state(a)", state(a))
        await s.refresh(a)
        note("after refresh a.status", read(a))
        await s.close()


async def merge_expired_detached_deleted(env):
    """older report: a expired (expire_on_commit), expunged; the app deletes a; merge(a); commit"""
    s, (a, b, c), ids = await setup(env, eoc=True)
    s.expunge(a)
    await app(env, "delete", ids[0])
    m = await attempt("merge(a)", lambda: s.merge(a))
    note("state(merged)", state(m))
    note("merged identity", inspect(m).identity)
    note("merged.status", read(m))
    await s.commit()
    note("merged identity after commit", inspect(m).identity)
    note("committed under the old key", await env.committed(ids[0]))
    await s.close()


async def merge_onto_expired_in_map(env):
    """a loaded, expunged; b = get(a's key), expired; the app deletes the row; merge(a): is b loaded?"""
    for eoc in (False, True):
        if eoc:
            as_("S1")
        s, (a, b, c), ids = await setup(env, eoc=eoc)
        if eoc:
            note("again with a expired before the expunge", "merge copies no key")
        s.expunge(a)
        other = await s.get(Lamp, ids[0])
        s.expire(other)
        await s.commit()
        await app(env, "delete", ids[0])
        m = await attempt("merge(a)", lambda: s.merge(a))
        note("merged is the session's object", m is other)
        await s.close()


async def refresh_attribute_keeps_modified(env):
    """seed 2494: begin_nested, a.status='on', refresh(a, ['status']), nested rollback: is a expired?"""
    for autoflush in (True, False):
        note("autoflush", autoflush)
        s, (a, b, c), ids = await setup(env, autoflush=autoflush)
        await s.refresh(a)
        nested = await s.begin_nested()
        a.status = "on"
        await s.refresh(a, ["status"])
        note("after refresh(a, ['status'])", state(a))
        await nested.rollback()
        note("after the nested rollback", state(a))
        await s.close()


async def get_expired_deleted_unchanged(env):
    """a expired (expire_on_commit), unchanged; the app deletes a; get(a): how many SELECTs, and a's state"""
    s, (a, b, c), ids = await setup(env, eoc=True)
    await app(env, "delete", ids[0])
    await attempt("get(a)", lambda: s.get(Lamp, ids[0]))
    note("state(a)", state(a))
    note("a in session", a in s.sync_session)
    await s.rollback()
    note("after rollback state(a)", state(a))
    await s.close()


if __name__ == "__main__":
    main([flush_changed_expired_deleted, flush_changed_expired_row_exists, get_changed_expired_deleted,
          get_changed_expired_row_exists, merge_self_changed, merge_expired_detached_deleted,
          merge_onto_expired_in_map, refresh_attribute_keeps_modified,
          get_expired_deleted_unchanged])
