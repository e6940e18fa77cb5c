#!/usr/bin/env python3
"""Runs lampctl scenario files with real SQLAlchemy 2.x (sync, psycopg2) and prints the same
JSON Lines as `lampctl scenario --json`, so the two can be diffed (`make crosscheck`).

Usage: crosscheck.py DATABASE_URL [--isolation L,..] [--expire-on-commit true,false]
                     [--app commit,flush] [--driver psycopg2|asyncpg] FILE.scenario...
Needs: pip install 'sqlalchemy>=2,<3' psycopg2-binary (and asyncpg for --driver asyncpg).
With asyncpg the sessions are AsyncSession objects on an async engine, driven from one
greenlet (as AsyncSession itself does), so the same steps run over the async driver.
"""
import asyncio, json, sys, uuid
from sqlalchemy import create_engine, text, String, select, event
from sqlalchemy.orm import Session, DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Lamp(Base):
    __tablename__ = "lamps"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String, server_default=text("'off'"))


LEVELS = {"read-committed": "READ COMMITTED", "repeatable-read": "REPEATABLE READ",
          "serializable": "SERIALIZABLE", "server-default": None}


def parse(path):
    sessions, steps, name = {}, [], None
    for raw in open(path, encoding="utf-8"):
        toks = raw.split("#", 1)[0].split()
        if not toks:
            continue
        if toks[0] == "scenario":
            name = toks[1]
        elif toks[0] == "summary":
            pass
        elif toks[0] == "session":
            decl = {"role": toks[2], "uses": None, "eoc": None, "iso": None}
            rest = toks[3:]
            while rest:
                if rest[0] == "uses":
                    decl["uses"] = rest[1]; rest = rest[2:]; continue
                k, v = rest[0].split("=", 1)
                decl["eoc" if k == "expire_on_commit" else "iso"] = (v == "true") if k == "expire_on_commit" else v
                rest = rest[1:]
            sessions[toks[1]] = decl
        else:
            steps.append((toks[0], toks[1], toks[2:]))
    return name, sessions, steps


DRIVER = "psycopg2"


def make_engine(url, **kw):
    if DRIVER == "asyncpg":
        from sqlalchemy.ext.asyncio import create_async_engine
        options = kw.pop("connect_args", {}).get("options", "")
        args = {"server_settings": {"search_path": options.split("=", 1)[1]}} if options else {}
        return create_async_engine(url.replace("+psycopg2", "+asyncpg"), connect_args=args, **kw)
    return create_engine(url, **kw)


def make_session(engine, **kw):
    if DRIVER == "asyncpg":
        from sqlalchemy.ext.asyncio import AsyncSession
        return AsyncSession(engine, **kw).sync_session
    return Session(engine, **kw)


def sync_engine(engine):
    return getattr(engine, "sync_engine", engine)


def run_case(url, schema, path, iso, eoc, app):
    name, decls, steps = parse(path)
    engines = {}

    def engine_for(level):
        if level not in engines:
            kw = {"isolation_level": LEVELS[level]} if LEVELS[level] else {}
            eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"}, **kw)
            engines[level] = eng
        return engines[level]

    test_name = next(n for n, d in decls.items() if d["role"] == "test")
    sessions = {}

    def session(n):
        d = decls[n]
        if n not in sessions:
            level = d["iso"] or iso
            e = eoc if d["eoc"] is None else d["eoc"]
            sessions[n] = make_session(engine_for(level), expire_on_commit=e)
        return sessions[n]

    lamp_id, obj, created, expectations = None, None, None, []
    for who, op, args in steps:
        d = decls[who]
        if d["role"] == "app":
            mode = args[0] if args else app
            if d["uses"]:
                s, own = session(d["uses"]), False
            else:
                level = d["iso"] or iso
                s = make_session(engine_for(level), expire_on_commit=True if d["eoc"] is None else d["eoc"])
                own = True
            lamp = s.execute(select(Lamp).where(Lamp.id == lamp_id)).scalar_one()
            lamp.status = "on"
            s.commit() if mode == "commit" else s.flush()
            s.refresh(lamp)
            if own:
                s.close()
            continue
        s = session(who)
        if op == "create":
            obj = Lamp(status=args[0]) if args else Lamp()
            s.add(obj); s.commit(); lamp_id = obj.id; created = obj
        elif op == "select":
            opts = {"populate_existing": True} if args else {}
            obj = s.execute(select(Lamp).where(Lamp.id == lamp_id).execution_options(**opts)).scalar_one()
        elif op == "refresh": s.refresh(obj)
        elif op == "expire": s.expire(obj)
        elif op == "expire-all": s.expire_all()
        elif op == "close": s.close()
        elif op == "commit": s.commit()
        elif op == "rollback": s.rollback()
        elif op == "flush": s.flush()
        elif op == "sql-read": s.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id})
        elif op == "expect": expectations.append(obj.status == args[0])
    s = session(test_name)
    object_status = obj.status
    tx = s.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id}).scalar()
    same = obj is created
    for x in sessions.values():
        x.close()
    with sync_engine(engine_for("server-default")).connect() as c:
        committed = c.execute(text("SELECT status FROM lamps WHERE id = :i"), {"i": lamp_id}).scalar()
        default_iso = c.execute(text("SHOW default_transaction_isolation")).scalar()
    for e in engines.values():
        sync_engine(e).dispose()
    passes = all(expectations) if expectations else object_status == "on"
    verdict = "fresh" if object_status == committed else "stale"
    outcome = {(True, "fresh"): "true pass", (False, "fresh"): "true failure",
               (True, "stale"): "false pass", (False, "stale"): "false failure"}[(passes, verdict)]
    layer = None if verdict == "fresh" else ("identity map" if tx == committed else "snapshot")
    isolation = default_iso if iso == "server-default" else iso.replace("-", " ")
    return {"strategy": name, "isolation": isolation, "expire_on_commit": eoc, "app": app,
            "object_status": object_status, "transaction_status": tx, "committed_status": committed,
            "same_object": same, "verdict": verdict, "test_passes": passes, "outcome": outcome, "layer": layer}


def main(argv):
    global DRIVER
    url, files = argv[0], []
    isos, eocs, apps = ["server-default"], [False], ["commit"]
    i = 1
    while i < len(argv):
        a = argv[i]
        if a == "--isolation": isos = argv[i + 1].split(","); i += 2
        elif a == "--expire-on-commit": eocs = [v == "true" for v in argv[i + 1].split(",")]; i += 2
        elif a == "--app": apps = argv[i + 1].split(","); i += 2
        elif a == "--driver": DRIVER = argv[i + 1]; i += 2
        else: files.append(a); i += 1
    url = url.replace("postgresql://", "postgresql+psycopg2://", 1)
    schema = "lampctl_xcheck_" + uuid.uuid4().hex[:10]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
        c.execute(text(f'CREATE TABLE "{schema}".lamps (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, status text NOT NULL DEFAULT \'off\')'))
    try:
        for path in files:
            _, decls, steps = parse(path)
            test = next(d for d in decls.values() if d["role"] == "test")
            iso_open = any(d["iso"] is None for d in decls.values())
            app_open = any(decls[who]["role"] == "app" and not args for who, _op, args in steps)
            for iso in (isos if iso_open else [test["iso"] or "server-default"]):
                for eoc in (eocs if test["eoc"] is None else [test["eoc"]]):
                    fixed = next((args[0] for who, _op, args in steps if decls[who]["role"] == "app" and args), apps[0])
                    for app in (apps if app_open else [fixed]):
                        print(json.dumps(run_case(url, schema, path, iso, eoc, app)))
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    if "--driver" in sys.argv and sys.argv[sys.argv.index("--driver") + 1] == "asyncpg":
        from sqlalchemy.util import greenlet_spawn
        asyncio.run(greenlet_spawn(main, sys.argv[1:]))
    else:
        main(sys.argv[1:])
