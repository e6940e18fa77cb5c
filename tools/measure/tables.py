#!/usr/bin/env python3
"""Turns the RESULT lines of fixtures.py (run-all.sh collects them in OUT/RESULTS.txt) into the
Markdown tables of docs/measurements/sqlalchemy-test-suites.md: one table per recipe and setting,
the nine strategies as rows, app=commit and app=flush side by side. Sync and async are merged into
one cell when they agree; a disagreement is shown as `sync / async`.

Usage: tables.py OUT/RESULTS.txt
"""
import re, sys
from collections import OrderedDict

LINE = re.compile(r"RESULT (\S+) (sync|async) (eoc=\S+ iso=\S+(?: no-step2)?) (commit|flush) (\S+) \| "
                  r"object=(.*?) same=(\S+) s1_tx=(\S+) worker_during=(\S+) after_teardown=(\S+) \|(.*)$")


def short(v):
    v = v.strip()
    if v.startswith("raises "):
        return v.split(":")[0].replace("raises sqlalchemy.exc.", "raises ")
    return {"'on'": "on", "'off'": "off", "None": "-", "no row (None)": "no row"}.get(v, v)


def main(path):
    tables = OrderedDict()
    for raw in open(path, encoding="utf-8"):
        m = LINE.match(raw.strip())
        if not m:
            if raw.startswith("RESULT"):
                print(f"<!-- unparsed: {raw.strip()} -->")
            continue
        recipe, driver, setting, app, fix, obj, same, tx, worker, after, notes = m.groups()
        obj = short(obj) + (" (new object)" if same == "False" else "")
        cell = f"{obj} · {short(tx)} · {short(worker)} · {short(after)}"
        if "no longer active" in notes:
            cell += " ¹"
        tables.setdefault((recipe, setting), OrderedDict()).setdefault(fix, {}).setdefault(app, {})[driver] = cell
    for (recipe, setting), rows in tables.items():
        print(f"\n**{recipe}**, {setting.replace(' ', ', ')}  \n"
              "cells: object · S1 transaction sees · worker during the test · worker after teardown\n")
        print("| strategy | app commits | app only flushes |\n|---|---|---|")
        for fix, apps in rows.items():
            cells = []
            for app in ("commit", "flush"):
                d = apps.get(app, {})
                vals = list(OrderedDict.fromkeys(d.values()))
                cells.append(vals[0] if len(vals) == 1 else " / ".join(f"{k}: {v}" for k, v in d.items()))
            print(f"| {fix} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print("usage: tables.py OUT/RESULTS.txt", file=sys.stderr)
        sys.exit(64)
    main(sys.argv[1])
