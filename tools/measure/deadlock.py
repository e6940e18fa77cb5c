#!/usr/bin/env python3
"""Item 4: the self-deadlock. The app first runs through the test's session (shared-session,
`switch-on flush`: the UPDATE is sent, the transaction stays open, the row stays locked), then an
independent app session runs `switch-on commit` on the same row: its UPDATE waits on S1's row lock,
and since one test drives both, it would wait forever.

The second request runs in the background (a thread for sync, a task for async); a third
connection W polls pg_stat_activity, pg_blocking_pids() and pg_isolation_test_session_is_blocked()
(never longer than 5 s); then either S1 rolls back (the waiter proceeds), or the waiter has a
lock_timeout and fails with it (which exception class each driver raises).

Usage: deadlock.py URL [--driver sync|async|both] [--case NAME]
"""
import asyncio, threading, time
from sqlalchemy import create_engine, select, text
from common import Lamp, as_, describe, main, note


def poll_blocked(env, waiter_name, holder_pid):
    """From W: is the waiter blocked, by whom; bounded to 5 s."""
    e = create_engine(env.url.replace("postgresql://", "postgresql+psycopg2://", 1), isolation_level="AUTOCOMMIT")
    with e.connect() as c:
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            row = c.execute(text(
                "SELECT pid, pg_blocking_pids(pid), pg_isolation_test_session_is_blocked(pid, ARRAY[:holder]::int[]), "
                "wait_event_type, wait_event, state, left(query, 70) FROM pg_stat_activity WHERE application_name = :n"),
                {"holder": holder_pid, "n": f"{env.schema}:{waiter_name}"}).first()
            if row and row[1]:
                note("W sees waiter", f"pid={row[0]} pg_blocking_pids={row[1]} (S1 pid {holder_pid}) "
                     f"isolation_test_session_is_blocked={row[2]} wait={row[3]}/{row[4]} state={row[5]} "
                     f"query={' '.join(row[6].split())}")
                break
            time.sleep(0.05)
        else:
            note("W sees waiter", "not blocked within 5 s")
    e.dispose()


async def start_request(env, lamp_id, lock_timeout):
    """S2: select the lamp, set on, commit; returns what happened."""
    s2 = env.session(env.engine("S2", fixed_label=True))
    try:
        if lock_timeout:
            await s2.execute(text(f"SET LOCAL lock_timeout = '{lock_timeout}'"))
        lamp = (await s2.execute(select(Lamp).where(Lamp.id == lamp_id))).scalar_one()
        lamp.status = "on"
        await s2.commit()
        return "committed"
    except Exception as exc:  # noqa: BLE001
        return describe(exc)
    finally:
        await s2.close()


async def run(env, lock_timeout):
    s1 = env.session(env.engine("S1"), expire_on_commit=False)
    as_("S1")
    lamp = Lamp()
    s1.add(lamp)
    await s1.commit()
    lamp_id = lamp.id
    as_("S1/app")
    mine = (await s1.execute(select(Lamp).where(Lamp.id == lamp_id))).scalar_one()
    mine.status = "on"
    await s1.flush()
    holder = (await s1.execute(text("SELECT pg_backend_pid()"))).scalar()
    as_("S2")
    if env.driver == "async":
        task = asyncio.create_task(start_request(env, lamp_id, lock_timeout))
        await asyncio.sleep(0.2)
        await asyncio.to_thread(poll_blocked, env, "S2", holder)
        if not lock_timeout:
            as_("S1")
            await s1.rollback()
        outcome = await asyncio.wait_for(task, timeout=10)
    else:
        box = {}
        t = threading.Thread(target=lambda: box.update(r=asyncio.run(start_request(env, lamp_id, lock_timeout))))
        t.start()
        poll_blocked(env, "S2", holder)
        if not lock_timeout:
            as_("S1")
            await s1.rollback()
        t.join(10)
        outcome = box.get("r", "still waiting after 10 s")
    note("second request (independent app, switch-on commit)", outcome)
    as_("S1")
    await s1.close()
    note("committed at the end", await env.committed(lamp_id))


async def blocked_then_test_rolls_back(env):
    """shared-session switch-on flush, then independent switch-on commit; W looks; S1 rolls back"""
    await run(env, None)


async def blocked_with_lock_timeout(env):
    """the same, the second request with SET LOCAL lock_timeout = '1s'"""
    await run(env, "1s")


if __name__ == "__main__":
    main([blocked_then_test_rolls_back, blocked_with_lock_timeout])
