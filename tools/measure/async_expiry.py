#!/usr/bin/env python3
"""Item 1: what reading an expired attribute does under AsyncSession (and, for comparison, sync
Session): the exception, the session's transaction state before/after, whether the session is still
usable; `await obj.awaitable_attrs.status`; `lamp.id` after a commit with expire_on_commit=True.

Usage: async_expiry.py postgresql://postgres@/postgres?host=/tmp/msr/s&port=5499 [--driver sync|async|both]
"""
from sqlalchemy import select
from common import Lamp, as_, backends, in_tx, main, note, read, tx_sees


async def created(env, eoc):
    e = env.engine("S1")
    s = env.session(e, expire_on_commit=eoc)
    as_("S1")
    lamp = Lamp()
    s.add(lamp)
    await s.commit()
    return s, lamp


async def after_expire(env):
    """expire_on_commit=False; create+commit, refresh, expire(lamp), read lamp.status"""
    s, lamp = await created(env, False)
    await s.refresh(lamp)
    note("status after refresh", read(lamp))
    s.expire(lamp)
    note("in_transaction before read", in_tx(s))
    note("lamp.status", read(lamp))
    note("in_transaction after read", in_tx(s))
    backends(env)
    note("lamp.status again", read(lamp))
    await s.refresh(lamp)
    note("after await refresh(lamp): lamp.status", read(lamp))
    await s.close()


async def after_expire_all(env):
    """expire_on_commit=False; create+commit, refresh, expire_all(), read lamp.status then lamp.id"""
    s, lamp = await created(env, False)
    await s.refresh(lamp)
    s.expire_all()
    note("in_transaction before read", in_tx(s))
    note("lamp.status", read(lamp))
    note("lamp.id", read(lamp, "id"))
    note("in_transaction after read", in_tx(s))
    await s.close()


async def after_commit_eoc_true(env):
    """expire_on_commit=True; create+commit (no refresh), read lamp.status"""
    s, lamp = await created(env, True)
    note("in_transaction before read", in_tx(s))
    note("lamp.status", read(lamp))
    note("in_transaction after read", in_tx(s))
    await s.close()


async def id_after_commit_eoc_true(env):
    """expire_on_commit=True; create+commit, read lamp.id (is the row loaded? autobegin?)"""
    s, lamp = await created(env, True)
    note("in_transaction before read", in_tx(s))
    note("lamp.id", read(lamp, "id"))
    note("in_transaction after lamp.id", in_tx(s))
    backends(env)
    note("lamp.status (after lamp.id)", read(lamp))
    note("in_transaction at end", in_tx(s))
    await s.close()


async def id_via_identity_after_commit(env):
    """expire_on_commit=True; create+commit, sqlalchemy.inspect(lamp).identity (no attribute load)"""
    from sqlalchemy import inspect
    s, lamp = await created(env, True)
    note("inspect(lamp).identity", inspect(lamp).identity)
    note("in_transaction", in_tx(s))
    await s.close()


async def awaitable_attrs_after_commit(env):
    """expire_on_commit=True; create+commit, await lamp.awaitable_attrs.status"""
    s, lamp = await created(env, True)
    note("in_transaction before", in_tx(s))
    try:
        v = await lamp.awaitable_attrs.status
        note("await lamp.awaitable_attrs.status", repr(v))
    except Exception as exc:  # noqa: BLE001
        from common import describe
        note("await lamp.awaitable_attrs.status", describe(exc))
    note("in_transaction after", in_tx(s))
    note("lamp.status now (plain)", read(lamp))
    await s.close()


async def awaitable_attrs_after_expire(env):
    """expire_on_commit=False; create+commit, refresh, expire(lamp), await lamp.awaitable_attrs.status"""
    s, lamp = await created(env, False)
    await s.refresh(lamp)
    s.expire(lamp)
    v = await lamp.awaitable_attrs.status
    note("await lamp.awaitable_attrs.status", repr(v))
    note("in_transaction after", in_tx(s))
    await s.close()


async def failed_read_then_rollback_state(env):
    """expire_on_commit=True; create+commit, read lamp.status (fails in async), then session.get(Lamp, id)"""
    from sqlalchemy import inspect
    s, lamp = await created(env, True)
    lamp_id = inspect(lamp).identity[0]
    note("lamp.status", read(lamp))
    note("in_transaction after failed read", in_tx(s))
    backends(env)
    got = await s.get(Lamp, lamp_id)
    note("session.get(Lamp, id) is lamp", got is lamp)
    note("lamp.status after get", read(lamp))
    note("in_transaction", in_tx(s))
    backends(env)
    await s.close()


async def failed_read_takes_no_snapshot(env):
    """REPEATABLE READ, eoc=True; create+commit, read lamp.status, the app commits 'on', S1 reads again"""
    from sqlalchemy import inspect
    s = env.session(env.engine("S1", isolation_level="REPEATABLE READ"), expire_on_commit=True)
    as_("S1")
    lamp = Lamp()
    s.add(lamp)
    await s.commit()
    lamp_id = inspect(lamp).identity[0]
    note("lamp.status", read(lamp))
    as_("S2")
    s2 = env.session(env.engine("S2"))
    other = await s2.get(Lamp, lamp_id)
    other.status = "on"
    await s2.commit()
    await s2.close()
    as_("S1")
    note("S1 transaction sees (plain SQL)", await tx_sees(s, lamp_id))
    got = await s.get(Lamp, lamp_id)
    note("session.get(Lamp, id): status", read(got))
    await s.close()


if __name__ == "__main__":
    main([after_expire, after_expire_all, after_commit_eoc_true, id_after_commit_eoc_true,
          id_via_identity_after_commit, awaitable_attrs_after_commit, awaitable_attrs_after_expire,
          failed_read_then_rollback_state, failed_read_takes_no_snapshot])
