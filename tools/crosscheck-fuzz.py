#!/usr/bin/env python3
"""A random differential check of lampctl against real SQLAlchemy 2.x (`make crosscheck-fuzz`).

A seeded generator writes random valid scenario files over lampctl's whole grammar (what
`lampctl scenario --grammar --json` prints: roles, settings with their values and roles, steps
with their session kind, arguments and values, and an optional lamp name where a step has
"lamp": true), so keywords lampctl gains are generated with no change here; OVERRIDES below holds
the few rules the grammar cannot say. Each file runs through lampctl over the whole matrix
(fixture recipe x isolation x expire_on_commit x app x test-session driver, and again with
--stop-at-failed-expect), and a sample of its cases (chosen from the seed) through the SQLAlchemy
runner of tools/crosscheck.py (xcheck.sqlalchemy_orm's Runner), in this process, with psycopg2 and
with asyncpg. Every field of every JSON line must be identical, errors included (kind and line).
A disagreement is shrunk (lines and settings dropped while lampctl still accepts the file and
the two still disagree on that case), and the minimal file is printed with both JSON lines; the
exit status is then 1. A file lampctl refuses is a generator bug (or a lampctl refusal of a valid
file): printed, exit 1.

The same seed and the same grammar give the same file (`--show SEED` prints it); a grammar with
new keywords gives new files.

Usage: crosscheck-fuzz.py [--seeds A:B|N] [--cells K] [--drivers psycopg2,asyncpg] [--lampctl BIN]
                          [--database-url URL] [--keep-going] [--replica] [--fixtures LIST|none]
       crosscheck-fuzz.py --show SEEDS [--lampctl BIN | --grammar GRAMMAR.json] [--replica]
--seeds: seeds A..B-1 (N: 0..N-1; default 0:100). --cells: cases per seed and driver run through
SQLAlchemy (default 1; lampctl runs them all and their count is compared). The database is
--database-url, else $DATABASE_URL, else lampctl's embedded server (started, and stopped again
when this started it). --keep-going: go on after a disagreement and count them all.
--replica: also generate the replica steps and reads=standby (crosscheck.py does not run them yet).
--fixtures: the recipes lampctl runs each file under (default all four; none: no --fixture, the
fixture keys only for files that set fixture=).
--show prints the files of SEEDS (A:B, N: 0..N-1, or A alone with --show) and runs nothing; --grammar
gives it a grammar file instead of lampctl's. The summary line names the step keywords and setting
values no seed of the run generated.
"""
import json, os, random, subprocess, sys, tempfile, time
from dataclasses import replace

# tools/, this script's directory, is on sys.path: the package imports as it is.
from xcheck import shrink, sqlalchemy_orm as sqx

# The matrix lampctl runs each file over, and the SQLAlchemy runner's spelling of it (fixtures:
# the recipes lampctl runs each file under, `--fixture all`; None, `--fixtures none`: the run names no recipe).
LAMPCTL_MATRIX = ["--isolation", "all", "--expire-on-commit", "both", "--app", "both", "--driver", "both"]
MATRIX = sqx.Matrix(isolations=("read-committed", "repeatable-read", "serializable"), expire_on_commit=(False, True),
                    apps=("commit", "flush"), drivers=("sync", "async"),
                    fixtures=("independent", "override-get-db", "savepoint-join", "rollback-per-test"))


def lampctl_matrix(matrix):
    return LAMPCTL_MATRIX + (["--fixture", ",".join(matrix.fixtures)] if matrix.fixtures else [])

# What the grammar cannot say.
OVERRIDES = {
    # The first step; one per lamp (a second only with another lamp name).
    "first_step": "create",
    # Role of the one test session, declared first as S1.
    "test_role": "test",
    # Settings whose value is the name of the test session (`uses S1`); such a session takes no other setting.
    "name_settings": {"uses"},
    # Steps and setting values that need a hot standby: only with --replica.
    "replica_steps": {"report-lsn", "wait-lsn", "pause-replay", "resume-replay"},
    "replica_values": {("reads", "standby")},
    # Settings only a replica run has (sticky= routes reads=standby; remote_apply needs a synchronous standby).
    "replica_settings": {"sticky", "synchronous_commit"},
    # A session with the first value may take only the second setting's listed values
    # (reads=standby runs the independent recipe only: the join recipes share one primary connection).
    "only_with": {"reads=standby": ("fixture", {"independent"})},
    # Values for settings whose grammar value is a placeholder (sticky=DURATION).
    "placeholder_values": {"DURATION": ["1ms", "10s"]},
    # Lamp names a step with "lamp": true may take.
    "lamp_names": ["a", "b"],
    # Steps that open a nesting level and those that close the innermost: a closing step mostly
    # comes while a level is open, and an open level is often closed (unbalanced ones are errors).
    # commit, rollback and close end every level.
    "nesting": {"open": "begin-nested", "close": ["release", "rollback-nested"], "end": ["commit", "rollback", "close"]},
}

WORDS = ["lamp", "on", "off", "stale", "fresh", "app", "test", "commit", "snapshot", "identity", "map"]


class Generator:
    """Random valid scenario files from lampctl's grammar tables."""

    def __init__(self, tables, replica=False):
        self.replica = replica
        self.roles = [r["keyword"] for r in tables["roles"]]
        self.settings = tables["settings"]
        self.steps = [s for s in tables["steps"] if replica or s["keyword"] not in OVERRIDES["replica_steps"]]

    def values(self, setting):
        if not self.replica and setting["keyword"] in OVERRIDES["replica_settings"]:
            return []
        spelled = [w for v in setting["values"] for w in OVERRIDES["placeholder_values"].get(v, [v])]
        return [v for v in spelled if self.replica or (setting["keyword"], v) not in OVERRIDES["replica_values"]]

    def session_line(self, rng, name, role, test_name):
        words = ["session", name, role]
        names = [s for s in self.settings if role in s["roles"] and s["keyword"] in OVERRIDES["name_settings"]]
        if role != OVERRIDES["test_role"] and names and rng.random() < 0.3:
            return words + [rng.choice(names)["keyword"], test_name]
        for setting in self.settings:
            if role in setting["roles"] and setting["values"] is not None and rng.random() < 0.3:
                values = self.values(setting)
                if values:
                    words.append(f"{setting['keyword']}={rng.choice(values)}")
        for word, (keyword, allowed) in OVERRIDES["only_with"].items():
            if word in words:
                words = [w for w in words if not w.startswith(keyword + "=") or w.split("=", 1)[1] in allowed]
        return words

    def step_line(self, rng, session, entry, lamps, named):
        words = [session, entry["keyword"]]
        if entry.get("lamp") and named:
            if entry["keyword"] == OVERRIDES["first_step"]:
                fresh = [n for n in OVERRIDES["lamp_names"] if n not in lamps]
                lamps.append(fresh[0])
                words.append(fresh[0])
            else:
                words.append(rng.choice(lamps))
        if entry["arguments"] == "required" or (entry["arguments"] == "optional" and entry["values"] and rng.random() < 0.5):
            words.append(rng.choice(entry["values"]))
        return words

    def unused(self, texts):
        """The step keywords and `setting=value` words of the grammar that none of `texts` has."""
        words = {w for text in texts for line in text.splitlines() for w in line.split("#", 1)[0].split()[1:]}
        wanted = [e["keyword"] for e in self.steps]
        wanted += [f"{s['keyword']}={v}" for s in self.settings if s["values"] is not None for v in self.values(s)]
        return [w for w in wanted if w not in words]

    def generate(self, seed):
        """The scenario file of `seed`, as text."""
        rng = random.Random(seed)
        test_role = OVERRIDES["test_role"]
        lines = [f"scenario fuzz-{seed}"]
        if rng.random() < 0.3:
            lines.append("summary " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))))
        sessions = {test_role: ["S1"]}
        declared = [self.session_line(rng, "S1", test_role, "S1")]
        number = 2
        for role in self.roles:
            if role == test_role:
                continue
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3]) if role == "app" else rng.choice([0, 1])):
                name = f"S{number}"
                number += 1
                sessions.setdefault(role, []).append(name)
                declared.append(self.session_line(rng, name, role, "S1"))
        lines += [" ".join(words) for words in declared]
        by_role = {}
        for entry in self.steps:
            if entry["session"] in sessions:
                by_role.setdefault(entry["session"], []).append(entry)
        first = next(e for e in self.steps if e["keyword"] == OVERRIDES["first_step"])
        named = bool(first.get("lamp")) and rng.random() < 0.5  # lamps named (a, b) or the one unnamed lamp
        lamps = []
        steps = [self.step_line(rng, "S1", first, lamps, named)]
        others = [r for r in by_role if r != test_role]
        nesting = OVERRIDES["nesting"]
        closing = [e for e in self.steps if e["keyword"] in nesting["close"]]
        depth = 0
        for _ in range(rng.randint(0, 10)):
            role = test_role if not others or rng.random() < 0.75 else rng.choice(others)
            entry = rng.choice(by_role[role])
            if closing and closing[0]["session"] == role and depth > 0 and rng.random() < 0.3:
                entry = rng.choice(closing)
            if entry["keyword"] in nesting["close"] and depth == 0 and rng.random() < 0.8:
                entry = rng.choice(by_role[role])  # mostly not unbalanced: another draw
            if entry["keyword"] == nesting["open"]:
                depth += 1
            elif entry["keyword"] in nesting["close"]:
                depth = max(depth - 1, 0)
            elif entry["keyword"] in nesting["end"] and role == test_role:
                depth = 0
            if entry["keyword"] == OVERRIDES["first_step"] and not (named and entry.get("lamp") and len(lamps) < len(OVERRIDES["lamp_names"])):
                continue
            steps.append(self.step_line(rng, rng.choice(sessions[role]), entry, lamps, named))
        if rng.random() < 0.2:
            lines.append("")
        for words in steps:
            lines.append(" ".join(words) + ("   # " + rng.choice(WORDS) if rng.random() < 0.1 else ""))
        return "\n".join(lines) + "\n"


class Lampctl:
    """lampctl as a subprocess."""

    REFUSED = 65  # EX_DATAERR: a scenario file lampctl cannot parse

    def __init__(self, binary, url):
        self.binary, self.url = binary, url

    def run(self, paths, flags):
        """(exit status, JSON objects, stderr) of `scenario --json` over `paths`; status REFUSED: a file
        that does not parse."""
        args = [self.binary, "scenario", "--database-url", self.url, "--json", *flags]
        for path in paths:
            args += ["--file", path]
        done = subprocess.run(args, capture_output=True, text=True)
        return done.returncode, [json.loads(line) for line in done.stdout.splitlines() if line.strip()], done.stderr.strip()


def cell_flags(cell, stop, show_fixture):
    iso, eoc, app, driver, fixture = cell
    flags = ["--isolation", iso, "--expire-on-commit", "true" if eoc else "false", "--app", app, "--driver", driver]
    return flags + (["--fixture", fixture] if show_fixture else []) + (["--stop-at-failed-expect"] if stop else [])


def describe(cell, stop, dbapi):
    iso, eoc, app, driver, fixture = cell
    return (f"{dbapi}, isolation={iso}, expire_on_commit={'true' if eoc else 'false'}, app={app}, driver={driver}, fixture={fixture}"
            + (", --stop-at-failed-expect" if stop else ""))


class Fuzzer:
    def __init__(self, lampctl, grammar, generator, workdir, cells_per_seed, dbapis, matrix, runner):
        self.lampctl, self.grammar, self.generator = lampctl, grammar, generator
        self.workdir, self.cells_per_seed, self.dbapis = workdir, cells_per_seed, dbapis
        self.matrix, self.runner = matrix, runner  # runner: sqx.Runner (its schema, engines reused across cases)
        self.compared = {d: 0 for d in dbapis}
        self.lampctl_cases = 0
        self.findings = []
        self.texts = []
        self.both_ended = []
        self.keep_going = False
        self.checked = 0

    def write(self, name, text):
        path = os.path.join(self.workdir, name + ".scenario")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def cells_of(self, parsed):
        """The SQLAlchemy runner's (show_driver, show_fixture, cells) of a parsed file over the fuzzer's matrix."""
        return sqx.file_cells(parsed, self.matrix)

    def sqlalchemy(self, parsed, cell, stop, dbapi, show_driver, show_fixture):
        """crosscheck.py's JSON object for one case (a run-ending exception as {"run_error": ...})."""
        try:
            return self.runner.run_case(parsed, cell, sqx.CaseOptions(dbapi, stop, show_driver, show_fixture))
        except SystemExit as exc:
            return {"run_error": f"crosscheck.py exited: {exc}"}
        except Exception as exc:  # a run-ending error: lampctl must end its run there too
            return {"run_error": f"{type(exc).__name__}: {exc}".splitlines()[0]}

    def lampctl_cases_of(self, path, stop):
        """(lampctl's JSON objects for one file over the matrix, None), or (objects, error) when it
        refused the file or its run ended."""
        status, objects, stderr = self.lampctl.run([path], lampctl_matrix(self.matrix) + (["--stop-at-failed-expect"] if stop else []))
        if status == Lampctl.REFUSED:
            return objects, "refused: " + stderr
        return objects, (None if status == 0 else stderr or f"exit {status}")

    def batch(self, seeds):
        """Runs `seeds`; returns False at a finding (after reporting it)."""
        texts = {seed: self.generator.generate(seed) for seed in seeds}
        self.texts += texts.values()
        paths = {seed: self.write(f"fuzz-{seed}", texts[seed]) for seed in seeds}
        results = {}
        # lampctl labels every case with its driver when any case of the run is async, and shows
        # the fixture keys for every case when any case has another recipe.
        shown = [self.shows(paths[seed]) for seed in seeds]
        run_shows = (any(d for d, _ in shown), any(f for _, f in shown))
        for stop in (False, True):
            flags = lampctl_matrix(self.matrix) + (["--stop-at-failed-expect"] if stop else [])
            status, objects, _ = self.lampctl.run([paths[s] for s in seeds], flags)
            if status == 0:
                for obj in objects:
                    results.setdefault((obj["strategy"], stop), ([], None, run_shows))[0].append(obj)
            else:  # a refusal or a run that ended: file by file, to know which
                for seed in seeds:
                    results[(f"fuzz-{seed}", stop)] = (*self.lampctl_cases_of(paths[seed], stop), None)
        ok = True
        for seed in seeds:
            ok = self.check(seed, texts[seed], paths[seed], results) and ok
            if not ok and not self.keep_going:
                break
        return ok

    def shows(self, path):
        """(show_driver, show_fixture) of the file over the matrix: an async case, a case with a
        recipe other than independent ((False, False) when crosscheck.py cannot read it)."""
        try:
            return self.cells_of(self.grammar.parse(path))[:2]
        except Exception:
            return False, False

    def check(self, seed, text, path, results):
        name = f"fuzz-{seed}"
        self.checked += 1
        runs = {stop: results.get((name, stop), ([], None, None)) for stop in (False, True)}
        for stop, (objects, error, _) in runs.items():
            if error is not None and error.startswith("refused: "):
                self.report(seed, f"lampctl refuses the generated file (a generator bug, or lampctl refuses a valid file):\n{error}\n{text}")
                return False
        try:
            parsed = self.grammar.parse(path)
            show_driver, show_fixture, cells = self.cells_of(parsed)
        except Exception as exc:
            self.report(seed, f"crosscheck.py cannot read a file lampctl accepts ({type(exc).__name__}: {exc}):\n{text}")
            return False
        self.lampctl_cases += sum(len(objects) for objects, _, _ in runs.values())
        rng = random.Random(f"cells-{seed}")
        choices = [(cell, stop) for stop in (False, True) for cell in cells]
        ok = True
        for dbapi in self.dbapis:
            for index in sorted(rng.sample(range(len(choices)), min(self.cells_per_seed, len(choices)))):
                cell, stop = choices[index]
                at = index % len(cells)
                objects, error, run_shows = runs[stop]
                if error is not None and at > len(objects):  # lampctl's run ended before: compare where it ended
                    at = len(objects)
                    cell = cells[at]
                ours = objects[at] if at < len(objects) else {"run_error": error or f"lampctl printed {len(objects)} of {len(cells)} cases"}
                theirs = self.sqlalchemy(parsed, cell, stop, dbapi, *((show_driver, show_fixture) if run_shows is None else run_shows))
                self.compared[dbapi] += 1
                if "run_error" in ours and "run_error" in theirs:
                    self.both_ended.append(seed)  # both ended the run at this case: agreed, and counted
                    continue
                if ours != theirs:
                    self.disagreement(seed, text, cell, stop, dbapi, theirs, ours)
                    ok = False
                    break
            if not ok:
                break
        for stop, (objects, error, _) in runs.items():
            if ok and error is None and len(objects) != len(cells):
                self.report(seed, f"lampctl printed {len(objects)} cases{' with --stop-at-failed-expect' if stop else ''}, "
                                  f"crosscheck.py counts {len(cells)} for this file:\n{text}")
                ok = False
        return ok

    def one_case(self, text, cell, stop, dbapi):
        """(SQLAlchemy's object, lampctl's object) for one case of `text`; None when lampctl refuses the file."""
        path = self.write("shrink", text)
        status, objects, stderr = self.lampctl.run([path], cell_flags(cell, stop, bool(self.matrix.fixtures)))
        if status == Lampctl.REFUSED:
            return None
        try:
            parsed = self.grammar.parse(path)
            one = sqx.Matrix((cell.isolation,), (cell.expire_on_commit,), (cell.app,), (cell.driver,),
                             (cell.fixture,) if self.matrix.fixtures else None)
            show_driver, show_fixture, cells = sqx.file_cells(parsed, one)
        except Exception:  # lampctl accepts what crosscheck.py cannot read: not a smaller candidate
            return None
        ours = objects[0] if objects else {"run_error": stderr}
        theirs = self.sqlalchemy(parsed, cells[0], stop, dbapi, show_driver, show_fixture)
        if "run_error" in ours and "run_error" in theirs:
            return theirs, theirs
        return theirs, ours

    def shrink(self, text, cell, stop, dbapi):
        """Drops lines, then words, while the case still disagrees: the minimal file and both objects."""
        return shrink.minimize(text, lambda candidate: self.one_case(candidate, cell, stop, dbapi),
                               lambda pair: pair[0] != pair[1], shrink_candidates)

    def disagreement(self, seed, text, cell, stop, dbapi, theirs, ours):
        shrunk = self.shrink(text, cell, stop, dbapi)
        if shrunk is None:
            minimal, note = text, "(the case agrees when run alone: the original file)\n"
        else:
            (minimal, (theirs, ours)), note = shrunk, ""
        fields = sorted(k for k in set(theirs) | set(ours) if theirs.get(k, "<absent>") != ours.get(k, "<absent>"))
        self.report(seed, f"lampctl disagrees with SQLAlchemy {crosscheck_version()} ({describe(cell, stop, dbapi)}); "
                          f"fields {', '.join(fields)}; minimal file:\n{note}{minimal}"
                          f"SQLAlchemy: {json.dumps(theirs)}\nlampctl:    {json.dumps(ours)}")

    def report(self, seed, message):
        self.findings.append(seed)
        print(f"crosscheck-fuzz: seed {seed}: {message}", file=sys.stderr, flush=True)


def shrink_candidates(lines, i):
    """What to try in place of line i (never the scenario line): without it; a session line without
    one setting (`uses NAME` as a pair); a step without its argument; a line without its comment."""
    if i == 0:
        return []
    candidates = [lines[:i] + lines[i + 1:]]
    words = lines[i].split("#", 1)[0].split()
    if lines[i].startswith("session "):
        for j in range(3, len(words)):
            rest = words[j + 2:] if words[j] in OVERRIDES["name_settings"] else words[j + 1:]
            if j == 3 or words[j - 1] not in OVERRIDES["name_settings"]:
                candidates.append(lines[:i] + [" ".join(words[:j] + rest)] + lines[i + 1:])
    elif len(words) > 2:
        candidates.append(lines[:i] + [" ".join(words[:-1])] + lines[i + 1:])
    elif "#" in lines[i]:
        candidates.append(lines[:i] + [" ".join(words)] + lines[i + 1:])
    return candidates


def crosscheck_version():
    import sqlalchemy
    return sqlalchemy.__version__


def seed_range(text):
    first, _, last = text.partition(":")
    return range(int(first), int(last)) if last else range(int(first))


def main(argv):
    seeds, cells, dbapis, binary, url = range(100), 1, ["psycopg2", "asyncpg"], None, None
    keep_going = replica = False
    matrix = MATRIX
    show = grammar_file = None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--seeds": seeds = seed_range(argv[i + 1]); i += 2
        elif a == "--cells": cells = int(argv[i + 1]); i += 2
        elif a == "--drivers": dbapis = argv[i + 1].split(","); i += 2
        elif a == "--lampctl": binary = argv[i + 1]; i += 2
        elif a == "--database-url": url = argv[i + 1]; i += 2
        elif a == "--keep-going": keep_going = True; i += 1
        elif a == "--replica": replica = True; i += 1
        elif a == "--fixtures": matrix = replace(matrix, fixtures=None if argv[i + 1] == "none" else tuple(argv[i + 1].split(","))); i += 2
        elif a == "--show": show = argv[i + 1]; i += 2
        elif a == "--grammar": grammar_file = argv[i + 1]; i += 2
        else: sys.exit(f"crosscheck-fuzz.py: unknown argument '{a}' (see the doc comment at the top)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    binary = binary or os.environ.get("LAMPCTL_BIN") or os.path.join(root, ".build/debug/lampctl")
    if grammar_file is not None:
        with open(grammar_file, encoding="utf-8") as f:
            grammar_json = f.read()
    else:
        grammar_json = subprocess.run([binary, "scenario", "--grammar", "--json"], capture_output=True, text=True, check=True).stdout
    generator = Generator(json.loads(grammar_json), replica)
    if show is not None:
        for seed in (seed_range(show) if ":" in show else [int(show)]):
            sys.stdout.write(generator.generate(seed))
        return 0
    with tempfile.TemporaryDirectory(prefix="lampctl-fuzz-") as workdir:
        grammar_path = os.path.join(workdir, "grammar.json")
        with open(grammar_path, "w", encoding="utf-8") as f:
            f.write(grammar_json)
        grammar = sqx.Grammar(grammar_path)
        missing = grammar.unimplemented()
        if missing:
            print(f"crosscheck-fuzz: lampctl's grammar has {', '.join(missing)}, which crosscheck.py does not implement", file=sys.stderr)
            return 2
        url = url or os.environ.get("DATABASE_URL") or None
        started = False
        if not url:
            if subprocess.run([binary, "db", "status"], capture_output=True).returncode != 0:
                subprocess.run([binary, "db", "start"], capture_output=True, check=True)
                started = True
            url = subprocess.run([binary, "db", "url"], capture_output=True, text=True, check=True).stdout.strip()
        runner = sqx.Runner(url, reuse_engines=True)
        fuzzer = Fuzzer(Lampctl(binary, url), grammar, generator, workdir, cells, dbapis, matrix, runner)
        fuzzer.keep_going = keep_going
        start = time.monotonic()
        ran = 0
        try:
            seeds = list(seeds)
            for at in range(0, len(seeds), 25):
                chunk = seeds[at:at + 25]
                ok = fuzzer.batch(chunk)
                ran = fuzzer.checked
                if not ok and not keep_going:
                    break
        finally:
            runner.close()
            if started:
                subprocess.run([binary, "db", "stop"], capture_output=True)
        elapsed = time.monotonic() - start
        compared = ", ".join(f"{n} with {d}" for d, n in fuzzer.compared.items())
        print(f"crosscheck-fuzz: {ran} seeds ({seeds[0]}:{seeds[0] + ran}), {fuzzer.lampctl_cases} lampctl cases, "
              f"{compared} compared with SQLAlchemy {crosscheck_version()}"
              f"{f' ({len(fuzzer.both_ended)} where both ended the run: seeds ' + ', '.join(map(str, sorted(set(fuzzer.both_ended))[:10])) + ')' if fuzzer.both_ended else ''}"
              f"; {len(fuzzer.findings)} disagreements"
              f"{' (seeds ' + ', '.join(map(str, fuzzer.findings)) + ')' if fuzzer.findings else ''}; "
              f"{elapsed:.1f} s ({1000 * elapsed / max(ran, 1):.0f} ms a seed); "
              f"never generated: {', '.join(generator.unused(fuzzer.texts)) or 'nothing'}")
        return 1 if fuzzer.findings else 0


if __name__ == "__main__":
    from sqlalchemy.util import greenlet_spawn
    import asyncio
    sys.exit(asyncio.run(greenlet_spawn(main, sys.argv[1:])))
