#!/usr/bin/env python3
"""Item 3: the reference flow (scenario.md) under each fixture recipe of fixtures.md, for each of
the 9 fix strategies and both application behaviours, sync and async.

Per case it prints every statement (who sent it), then one line
  RESULT recipe driver eoc=.. iso=.. app strategy | object=.. same=.. s1_tx=.. worker_during=.. after_teardown=.. | notes
object: the test's lamp status after step 5 (or the exception); same: is it the object created in step 1;
s1_tx: a plain SQL read in the test session (its connection) at the end of the test (the app's change
survives for the test iff this is 'on'); worker_during: a brand-new connection, before teardown (None: no
row visible); after_teardown: the same after the recipe's teardown.

Recipes: independent (own sessions, TRUNCATE teardown), override-get-db (the app gets S1; TRUNCATE),
and four on one connection inside `outer = connection.begin()`, test and app sessions both bound to it
with join_transaction_mode = create_savepoint | rollback_only | conditional_savepoint | control_fully,
teardown: S1.close(); outer.rollback(); connection.close().

The test session's expire_on_commit is false (the reference flow) unless --eoc true; its isolation
level is the server's default unless --isolation read-committed|repeatable-read|serializable.
--no-step2 leaves out step 2 (the test's refresh before the request), so S1 has no transaction (and,
under create_savepoint, no savepoint) open while the application runs.

Usage: fixtures.py URL [--driver sync|async|both] [--recipe R] [--app commit|flush] [--fix S] [--eoc true|false] [--isolation L] [--no-step2] [--quiet]
"""
import asyncio, sys
from sqlalchemy import inspect, select
from common import Env, Lamp, Log, as_, describe, note, read, schema_admin, truncate, tx_sees

RECIPES = ["independent", "override-get-db", "create_savepoint", "rollback_only", "conditional_savepoint",
           "control_fully"]
STRATEGIES = ["none", "shared-session", "refresh", "expire", "expire-all", "close", "rollback", "commit",
              "populate-existing"]


async def switch_on(env, recipe, fix, app, s1, engine, conn, lamp_id):
    """The application's endpoint: select, set on, commit (or only flush), refresh; its session ends."""
    as_("S2")
    shared = fix == "shared-session" or recipe == "override-get-db"
    if shared:
        s2 = s1
    elif conn is not None:
        s2 = env.session(conn, join_transaction_mode=recipe)
    else:
        s2 = env.session(engine)
    lamp = (await s2.execute(select(Lamp).where(Lamp.id == lamp_id))).scalar_one()
    lamp.status = "on"
    if app == "commit":
        await s2.commit()
        await s2.refresh(lamp)
        note("app's object after commit+refresh", read(lamp))
    else:
        await s2.flush()
    if not shared:
        await s2.close()


async def apply_fix(fix, s1, lamp):
    as_("S1")
    if fix == "refresh":
        await s1.refresh(lamp)
    elif fix == "expire":
        s1.expire(lamp)
    elif fix == "expire-all":
        s1.expire_all()
    elif fix == "close":
        await s1.close()
    elif fix == "rollback":
        await s1.rollback()
    elif fix == "commit":
        await s1.commit()


ISOLATION = {"read-committed": "READ COMMITTED", "repeatable-read": "REPEATABLE READ",
             "serializable": "SERIALIZABLE"}


async def run(env, recipe, fix, app, eoc=False, isolation=None, step2=True):
    notes = []
    engine = env.engine("S1", **({"isolation_level": ISOLATION[isolation]} if isolation else {}))
    conn = outer = None
    if recipe in ("independent", "override-get-db"):
        s1 = env.session(engine, expire_on_commit=eoc)
    else:
        as_("S1")
        conn = await env.connect(engine)
        outer = await conn.begin()
        s1 = env.session(conn, expire_on_commit=eoc, join_transaction_mode=recipe)
    app_engine = env.engine("S2")
    as_("S1")
    lamp = Lamp()
    s1.add(lamp)
    await s1.commit()
    lamp_id = inspect(lamp).identity[0]  # no attribute load (lamp.id would raise under async with eoc)
    if step2:
        await s1.refresh(lamp)
        note("step 2 status", read(lamp))
    try:
        await switch_on(env, recipe, fix, app, s1, app_engine, conn, lamp_id)
    except Exception as exc:  # noqa: BLE001
        notes.append(f"switch-on {describe(exc)}")
    try:
        await apply_fix(fix, s1, lamp)
    except Exception as exc:  # noqa: BLE001
        notes.append(f"fix {describe(exc)}")
    as_("S1")
    obj = same = tx = None
    try:
        opts = {"populate_existing": True} if fix == "populate-existing" else {}
        got = (await s1.execute(select(Lamp).where(Lamp.id == lamp_id).execution_options(**opts))).scalar_one_or_none()
        obj = "no row (None)" if got is None else read(got)
        same = None if got is None else got is lamp
        tx = await tx_sees(s1, lamp_id)
    except Exception as exc:  # noqa: BLE001
        obj = describe(exc)
    worker = await env.committed(lamp_id)
    as_("S1")
    try:
        await s1.close()
        if outer is not None:
            active = outer.raw.is_active if hasattr(outer, "raw") else outer.is_active
            if active:
                await outer.rollback()
            else:
                notes.append("outer transaction no longer active at teardown")
            as_("S1")
            await conn.close()
        else:
            truncate(env.url, env.schema)
    except Exception as exc:  # noqa: BLE001
        notes.append(f"teardown {describe(exc)}")
    after = await env.committed(lamp_id)
    print(f"RESULT {recipe} {env.driver} eoc={str(eoc).lower()} iso={isolation or 'default'}"
          f"{'' if step2 else ' no-step2'} {app} {fix} | "
          f"object={obj} same={same} s1_tx={tx!r} "
          f"worker_during={worker!r} after_teardown={after!r} | {'; '.join(notes)}")


def main():
    argv = sys.argv[1:]
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(64)
    step2 = "--no-step2" not in argv
    argv = [a for a in argv if a != "--no-step2"]
    url, opts = argv[0], dict(zip(argv[1::2], argv[2::2]))
    quiet = "--quiet" in argv
    drivers = {"both": ["sync", "async"], None: ["sync", "async"]}.get(opts.get("--driver"), [opts.get("--driver")])
    recipes = [opts["--recipe"]] if "--recipe" in opts else RECIPES
    apps = [opts["--app"]] if "--app" in opts else ["commit", "flush"]
    fixes = [opts["--fix"]] if "--fix" in opts else STRATEGIES
    eoc = opts.get("--eoc", "false") == "true"
    isolation = opts.get("--isolation")
    real_print = print
    for driver in drivers:
        for recipe in recipes:
            for app in apps:
                for fix in fixes:
                    env = Env(url, driver)
                    schema_admin(url, env.schema, True)
                    if not quiet:
                        real_print(f"== {recipe} {driver} eoc={str(eoc).lower()} iso={isolation or 'default'} "
                                   f"app={app} fix={fix}")
                    try:
                        asyncio.run(asyncio.wait_for(_one(env, recipe, fix, app, eoc, isolation, step2), timeout=30))
                    except Exception as exc:  # noqa: BLE001
                        real_print(f"RESULT {recipe} {driver} eoc={str(eoc).lower()} iso={isolation or 'default'}"
                                   f"{'' if step2 else ' no-step2'} {app} {fix} | aborted: {describe(exc)}")
                    finally:
                        schema_admin(url, env.schema, False)


async def _one(env, recipe, fix, app, eoc, isolation, step2):
    try:
        await run(env, recipe, fix, app, eoc, isolation, step2)
    finally:
        await env.dispose()


if __name__ == "__main__":
    if "--quiet" in sys.argv:
        Log.say = classmethod(lambda cls, line: None)
        import common
        common.note = lambda label, value: None
        note = common.note
        sys.argv.remove("--quiet")
    main()
