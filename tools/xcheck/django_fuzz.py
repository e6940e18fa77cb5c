"""The random differential check of lampctl's Django profile against real Django 5.2:
`python -m xcheck django-fuzz [...]` (PYTHONPATH=tools, the python of tools/django-venv.sh), or
tools/crosscheck-django-fuzz.py [...].

A seeded generator writes random valid Django scenario files over Django's grammar as lampctl
prints it (`lampctl scenario --grammar --json --orm django`: roles, settings with their values and
roles, steps with their session kinds, arguments, values, and a lamp name where a step has
"lamp": true), so keywords lampctl gains are generated with no change here; OVERRIDES below holds
the few rules the grammar cannot say. Each file runs through lampctl over the matrix (the three
isolation levels x the four test wrappers, then once more with --stop-at-failed-expect at the
default settings) and through this package's Django runner (xcheck.django_orm, real Django, in
this process: Django is configured once, one private schema and one live server serve every
seed) over the same cells. Every field of every JSON line must be identical, in the same key
order, errors included (kind, line, holder). A disagreement is shrunk (lines, settings and step
arguments dropped while lampctl still accepts the file and the two still disagree on that case)
and printed as the minimal file with both JSON lines; the exit status is then 1. A file lampctl
refuses is a generator bug (or lampctl refusing a valid file): printed, exit 1.

The same seed and the same grammar give the same file (`--show SEED` prints it); a grammar with
new keywords gives new files.

Usage: python -m xcheck django-fuzz [--seeds A:B|N | --sample] [--keep-going] [--database-url URL]
                                    [--lampctl BIN]
       python -m xcheck django-fuzz --show SEEDS [--lampctl BIN | --grammar GRAMMAR.json]
--seeds: seeds A..B-1 (N: 0..N-1; default 0:100). --sample: the seeds of
tools/crosscheck-django-fuzz-sample.txt (the bounded run for make test). The database is
--database-url, else $DATABASE_URL, else lampctl's embedded server ($LAMPCTL_HOME; started, and
stopped again at the end only when this started it). --keep-going: go on after a disagreement and
count them all. --lampctl: the binary (else $LAMPCTL_BIN, else .build/debug/lampctl).
--show prints the files of SEEDS (A:B, N: 0..N-1 with a colon, or A alone) and runs nothing;
--grammar gives it a grammar file instead of lampctl's. The summary line names the step keywords,
arguments and setting values no seed of the run generated.
Exit status: 0 all agree; 1 a disagreement or a refused file; 2 a usage error, or a grammar with
a keyword the runner does not implement.
"""
import argparse, json, os, random, subprocess, sys, tempfile, threading, time

from . import core, shrink
from .scenario import FileError, Grammar

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(TOOLS, "crosscheck-django-fuzz-sample.txt")

# The matrix lampctl runs each file over (its order is the runner's: wrapper, then isolation).
ISOLATIONS = ("read-committed", "repeatable-read", "serializable")
FIXTURES = ("live-server", "test-case", "test-case-live-server", "transaction-test-case")
BATCH = 20  # seeds written and run at a time (lampctl on a thread beside the Django runner)

# What the grammar cannot say.
OVERRIDES = {
    # The first step; one per lamp (a second only with another lamp name).
    "first_step": "create",
    # Role of the one test session, declared first as S1.
    "test_role": "test",
    # How many sessions of each other role a file declares (drawn from the list; else [0, 1]).
    "sessions": {"app": [0, 1, 1, 1, 2], "worker": [0, 0, 1]},
    # The lamps a file uses ("" is the unnamed lamp): at most two, created in a random order.
    "lamp_sets": [[""], ["a"], ["a", "b"], ["", "a"]],
    # A step that needs another step on the same lamp earlier (iterate reads a filter's QuerySet);
    # without one, the needed step is generated instead.
    "needs": {"iterate": "filter"},
    # The test's nesting: `open` enters a block, `close` leaves the innermost (only while one is open).
    "nesting": {"open": "atomic", "close": ["end-atomic", "abort-atomic"]},
    # Steps after the first (so 4 to 14 in all, with the final one).
    "length": (3, 12),
    # Relative weights of steps (else 1): fewer deletes (after one, most steps on that lamp raise
    # Lamp.DoesNotExist), more blocks and assertions.
    "weights": {"delete": 0.3, "atomic": 3, "expect": 1.5, "get": 1.5},
    # Weights while the test has no block of its own open (select_for_update outside atomic
    # raises TransactionManagementError except under TestCase's blocks).
    "weights_outside": {"select-for-update": 0.25},
    # How often a step is the test's (else another role's, when the file has one).
    "test_share": 0.65,
    # How often a closing step is drawn while a block is open.
    "close_share": 0.2,
    # How often the file ends with one more step, an assertion (a case with none has no verdict on
    # the test), on one of the lamps.
    "final": ("expect", 0.5),
    # How often a session line carries each setting its role takes.
    "setting_share": 0.3,
    # The scenario line's optional ORM word.
    "orm_word": "orm=django",
}

WORDS = ["lamp", "on", "off", "stale", "fresh", "app", "test", "atomic", "queryset", "instance", "view"]


class Generator:
    """Random valid Django scenario files from lampctl's grammar tables."""

    def __init__(self, tables):
        self.roles = [r["keyword"] for r in tables["roles"]]
        self.settings = [s for s in tables["settings"] if s.get("values")]
        self.steps = tables["steps"]
        self.by_role = {}
        for entry in self.steps:
            for role in entry.get("sessions") or [entry["session"]]:
                self.by_role.setdefault(role, []).append(entry)
        self.first = next(e for e in self.by_role[OVERRIDES["test_role"]] if e["keyword"] == OVERRIDES["first_step"])

    def session_line(self, rng, name, role):
        words = ["session", name, role]
        for setting in self.settings:
            if role in setting["roles"] and rng.random() < OVERRIDES["setting_share"]:
                words.append(f"{setting['keyword']}={rng.choice(setting['values'])}")
        return words

    def step_line(self, rng, session, entry, lamp):
        words = [session, entry["keyword"]] + ([lamp] if entry.get("lamp") and lamp else [])
        if entry["arguments"] == "required" or (entry["arguments"] == "optional" and entry["values"] and rng.random() < 0.5):
            words.append(rng.choice(entry["values"]))
        return words

    def generate(self, seed):
        """The scenario file of `seed`, as text."""
        rng = random.Random(seed)
        test_role, nesting = OVERRIDES["test_role"], OVERRIDES["nesting"]
        lines = [f"scenario fuzz-{seed}" + (" " + OVERRIDES["orm_word"] if rng.random() < 0.3 else "")]
        if rng.random() < 0.3:
            lines.append("summary " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))))
        sessions = {test_role: ["S1"]}
        declared = [self.session_line(rng, "S1", test_role)]
        number = 2
        for role in self.roles:
            if role == test_role or role not in self.by_role:
                continue
            for _ in range(rng.choice(OVERRIDES["sessions"].get(role, [0, 1]))):
                name = f"S{number}"
                number += 1
                sessions.setdefault(role, []).append(name)
                declared.append(self.session_line(rng, name, role))
        lines += [" ".join(words) for words in declared]
        if rng.random() < 0.3:
            lines.append("")

        lamp_set = rng.choice(OVERRIDES["lamp_sets"])
        to_create = rng.sample(lamp_set, len(lamp_set))
        created, done = [], set()  # lamps created; (keyword, lamp) pairs generated so far
        depth = 0
        steps = []

        def emit(session, entry, lamp=None):
            nonlocal depth
            if entry["keyword"] == OVERRIDES["first_step"]:
                lamp = to_create[len(created)]
                created.append(lamp)
            elif entry.get("lamp") and lamp is None:
                lamp = rng.choice(created)
            steps.append(self.step_line(rng, session, entry, lamp or ""))
            done.add((entry["keyword"], lamp))
            if entry["keyword"] == nesting["open"]:
                depth += 1
            elif entry["keyword"] in nesting["close"]:
                depth -= 1

        emit("S1", self.first)
        others = [r for r in sessions if r != test_role]
        for _ in range(rng.randint(*OVERRIDES["length"])):
            role = test_role if not others or rng.random() < OVERRIDES["test_share"] else rng.choice(others)
            session = rng.choice(sessions[role])
            closing = [e for e in self.by_role[role] if e["keyword"] in nesting["close"]]
            if closing and depth > 0 and rng.random() < OVERRIDES["close_share"]:
                emit(session, rng.choice(closing))
                continue
            allowed = [e for e in self.by_role[role]
                       if not (e["keyword"] in nesting["close"] and depth == 0)
                       and not (e["keyword"] == OVERRIDES["first_step"] and len(created) == len(to_create))]
            weights = [OVERRIDES["weights"].get(e["keyword"], 1) * (OVERRIDES["weights_outside"].get(e["keyword"], 1) if depth == 0 else 1)
                       for e in allowed]
            entry = rng.choices(allowed, weights)[0]
            need = OVERRIDES["needs"].get(entry["keyword"])
            if need is None or not entry.get("lamp"):
                emit(session, entry)
                continue
            ready = [lamp for lamp in created if (need, lamp) in done]
            if ready:
                emit(session, entry, rng.choice(ready))
            else:  # the step it needs first, on one of the lamps
                emit(session, next(e for e in self.by_role[role] if e["keyword"] == need))
        keyword, share = OVERRIDES["final"]
        if rng.random() < share:
            emit("S1", next(e for e in self.by_role[test_role] if e["keyword"] == keyword))
        for words in steps:
            lines.append(" ".join(words) + ("   # " + rng.choice(WORDS) if rng.random() < 0.1 else ""))
        return "\n".join(lines) + "\n"

    def wanted(self):
        """What a run should generate: each step keyword (with its session kind where more than one
        kind has it), each `keyword argument`, each `setting=value`."""
        out = []
        for entry in self.steps:
            kinds = entry.get("sessions") or [entry["session"]]
            out += [entry["keyword"]] if len(kinds) == 1 else [f"{kind} {entry['keyword']}" for kind in kinds]
            out += [f"{entry['keyword']} {v}" for v in entry["values"]]
        out += [f"{s['keyword']}={v}" for s in self.settings for v in s["values"]]
        return out

    def unused(self, texts):
        """What `wanted` names that none of `texts` has."""
        seen = set()
        for text in texts:
            roles = {}
            for line in text.splitlines():
                words = line.split("#", 1)[0].split()
                if not words or words[0] in ("scenario", "summary"):
                    continue
                if words[0] == "session":
                    roles[words[1]] = words[2]
                    seen.update(words[3:])
                    continue
                seen.update({words[1], f"{roles.get(words[0])} {words[1]}", f"{words[1]} {words[-1]}"})
        return [w for w in self.wanted() if w not in seen]


class Lampctl:
    """lampctl as a subprocess."""

    REFUSED = 65  # EX_DATAERR: a scenario file lampctl cannot parse
    TIMEOUT = 300  # seconds for one file's run

    def __init__(self, binary, url):
        self.binary, self.url = binary, url

    def run(self, paths, flags):
        """(exit status, JSON objects, stderr) of `scenario --orm django --json` over `paths`."""
        args = [self.binary, "scenario", "--orm", "django", "--database-url", self.url, "--json", *flags]
        for path in paths:
            args += ["--file", path]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=self.TIMEOUT)
        except subprocess.TimeoutExpired:
            return -1, [], f"lampctl did not finish in {self.TIMEOUT} s"
        objects = []
        for line in done.stdout.splitlines():
            if line.strip():
                try:
                    objects.append(json.loads(line))
                except ValueError:
                    objects.append({"unparsed_line": line})
        return done.returncode, objects, done.stderr.strip()


class Pass:
    """One of the two runs of each file: the matrix, or --stop-at-failed-expect at the default settings."""

    def __init__(self, name, isolations, fixtures, stop):
        self.name, self.isolations, self.fixtures, self.stop = name, isolations, fixtures, stop

    def lampctl_flags(self, cell=None):
        """lampctl's flags for the pass, or for one of its cells ((fixture, isolation))."""
        flags = []
        isolations, fixtures = (self.isolations, self.fixtures) if cell is None or self.isolations is None else ((cell[1],), (cell[0],))
        if isolations:
            flags += ["--isolation", ",".join(isolations)]
        if fixtures:
            flags += ["--fixture", ",".join(fixtures)]
        return flags + (["--stop-at-failed-expect"] if self.stop else [])

    def settings(self, url, grammar_path, cell=None):
        """The runner's settings (xcheck.core.Settings) for the pass, or for one of its cells."""
        isolations, fixtures = (self.isolations, self.fixtures) if cell is None or self.isolations is None else ((cell[1],), (cell[0],))
        return core.Settings("django", url, (), grammar_path, isolations, fixtures, self.stop)

    def describe(self, cell):
        where = f"fixture={cell[0]}, isolation={cell[1]}"
        return where + (", --stop-at-failed-expect at the default settings" if self.stop else "")


PASSES = [Pass("matrix", ISOLATIONS, FIXTURES, False), Pass("stop", None, None, True)]


class DjangoSide:
    """The package's Django runner in this process: one schema, one Runner (Django configured
    once, one live server) for every seed."""

    def __init__(self, url, grammar_path):
        from .django_orm import Runner
        from .monitor import BlockMonitor
        self.url, self.grammar_path = url, grammar_path
        self.grammar = Grammar(grammar_path)
        self.schema = core.open_schema(url)
        try:
            self.runner = Runner(url, self.schema, BlockMonitor(url))
        except BaseException:
            core.close_schema(url, self.schema)
            raise

    def lines(self, path, settings):
        """(JSON objects of the file's cases, as `python -m xcheck django` prints them, and a last
        {"run_error": ...} when the run ended at a case; the cells). FileError when the runner
        cannot read the file."""
        scenario = self.grammar.parse(path)
        out = []
        try:
            for obj in core.file_lines(self.runner, scenario, settings):
                out.append(json.loads(json.dumps(obj)))
        except Exception as exc:  # noqa: BLE001 - a run-ending error: lampctl must end its run there too
            out.append({"run_error": f"{type(exc).__name__}: {exc}".splitlines()[0]})
        return out, core.cells(scenario, settings)[1]

    def close(self):
        try:
            self.runner.close()
        finally:
            core.close_schema(self.url, self.schema)


def same(a, b):
    """Every field identical, in the same key order."""
    return list(a.items()) == list(b.items())


def ended(obj):
    return "run_error" in obj


class Fuzzer:
    def __init__(self, lampctl, django, generator, workdir, keep_going):
        self.lampctl, self.django, self.generator = lampctl, django, generator
        self.workdir, self.keep_going = workdir, keep_going
        self.findings, self.texts, self.both_ended = [], [], []
        self.lampctl_cases = self.compared = self.checked = 0
        self.reached = {}  # what lampctl's lines of the run reached: outcome, error kind, layer -> count

    def write(self, name, text):
        path = os.path.join(self.workdir, name + ".scenario")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def lampctl_batch(self, seeds, paths, out):
        """lampctl's objects for each (seed, pass): (objects, error or None); error "refused: ..."
        for a file lampctl refuses. One run per file and pass (a run over several files shows the
        wrapper's keys for all of its cases when one file has fixture=; the runner decides per file)."""
        for seed in seeds:
            for p in PASSES:
                status, objects, stderr = self.lampctl.run([paths[seed]], p.lampctl_flags())
                error = None if status == 0 else (("refused: " if status == Lampctl.REFUSED else f"exit {status}: ") + stderr)
                out[(seed, p.name)] = (objects, error)

    def batch(self, seeds):
        """Runs `seeds` (lampctl on a thread beside this process's Django); False at a finding."""
        texts = {seed: self.generator.generate(seed) for seed in seeds}
        paths = {seed: self.write(f"fuzz-{seed}", texts[seed]) for seed in seeds}
        ours, failed = {}, []

        def lampctl_side():
            try:
                self.lampctl_batch(seeds, paths, ours)
            except BaseException as exc:  # re-raised on this thread
                failed.append(exc)
        thread = threading.Thread(target=lampctl_side)
        thread.start()
        theirs = {}
        try:
            for seed in seeds:
                for p in PASSES:
                    try:
                        theirs[(seed, p.name)] = self.django.lines(paths[seed], p.settings(self.django.url, self.django.grammar_path))
                    except (FileError, OSError) as exc:
                        theirs[(seed, p.name)] = exc
        finally:
            thread.join()
        if failed:
            raise failed[0]
        ok = True
        for seed in seeds:
            ok = self.check(seed, texts[seed], ours, theirs) and ok
            if not ok and not self.keep_going:
                break
        return ok

    def check(self, seed, text, ours, theirs):
        self.checked += 1
        self.texts.append(text)
        for p in PASSES:
            objects, error = ours[(seed, p.name)]
            if error is not None and error.startswith("refused: "):
                self.report(seed, f"lampctl refuses the generated file (a generator bug, or lampctl refuses a valid file):\n{error}\n{text}")
                return False
        for p in PASSES:
            if isinstance(theirs[(seed, p.name)], Exception):
                exc = theirs[(seed, p.name)]
                self.report(seed, f"the Django runner cannot read a file lampctl accepts ({type(exc).__name__}: {exc}):\n{text}")
                return False
        for p in PASSES:
            objects, error = ours[(seed, p.name)]
            django_objects, cells = theirs[(seed, p.name)]
            self.lampctl_cases += len(objects)
            for obj in objects:
                for word in (obj.get("outcome"), (obj.get("error") or {}).get("kind"), obj.get("layer")):
                    if word is not None and word not in ("error",):
                        self.reached[word] = self.reached.get(word, 0) + 1
            for at in range(max(len(objects), len(django_objects), len(cells))):
                mine = objects[at] if at < len(objects) else {"run_error": error or f"lampctl printed {len(objects)} of {len(cells)} cases"}
                real = django_objects[at] if at < len(django_objects) else {"run_error": f"the runner printed {len(django_objects)} of {len(cells)} cases"}
                if ended(mine) and ended(real):
                    self.both_ended.append(seed)  # both ended the run at this case: agreed, and counted
                    break
                self.compared += 1
                if not same(mine, real):
                    cell = cells[min(at, len(cells) - 1)]
                    self.disagreement(seed, text, p, cell, real, mine)
                    return False
        return True

    def one_case(self, text, p, cell):
        """(Django's object, lampctl's object) for one cell of `text`; None when lampctl refuses
        the file or the runner cannot read it."""
        path = self.write("shrink", text)
        status, objects, stderr = self.lampctl.run([path], p.lampctl_flags(cell))
        if status == Lampctl.REFUSED:
            return None
        try:
            real, _ = self.django.lines(path, p.settings(self.django.url, self.django.grammar_path, cell))
        except (FileError, OSError):
            return None
        mine = objects[0] if objects else {"run_error": stderr or f"exit {status}"}
        real = real[0] if real else {"run_error": "the runner printed no case"}
        if ended(mine) and ended(real):
            return real, real
        return real, mine

    def shrink(self, text, p, cell):
        """Drops lines, then words, while the case still disagrees: the minimal file and both objects."""
        return shrink.minimize(text, lambda candidate: self.one_case(candidate, p, cell),
                               lambda pair: not same(*pair), shrink_candidates)

    def disagreement(self, seed, text, p, cell, real, mine):
        shrunk = self.shrink(text, p, cell)
        if shrunk is None:
            minimal, note = text, "(the case agrees when run alone: the original file)\n"
        else:
            (minimal, (real, mine)), note = shrunk, ""
        fields = sorted(k for k in set(real) | set(mine) if real.get(k, "<absent>") != mine.get(k, "<absent>"))
        self.report(seed, f"lampctl disagrees with Django {django_version()} ({p.describe(cell)}); "
                          f"fields {', '.join(fields) or '(the key order)'}; minimal file:\n{note}{minimal}"
                          f"Django:  {json.dumps(real)}\nlampctl: {json.dumps(mine)}")

    def report(self, seed, message):
        self.findings.append(seed)
        print(f"django-fuzz: seed {seed}: {message}", file=sys.stderr, flush=True)


def shrink_candidates(lines, i):
    """What to try in place of line i: without it (never the scenario line); without one word
    after the session's kind, or after a step's keyword (a setting, a lamp name, an argument, the
    orm word); without its comment, or an empty line dropped."""
    words = lines[i].split("#", 1)[0].split()
    candidates = [] if i == 0 else [lines[:i] + lines[i + 1:]]
    keep = 3 if lines[i].startswith("session ") else 2
    for j in range(keep, len(words)):
        candidates.append(lines[:i] + [" ".join(words[:j] + words[j + 1:])] + lines[i + 1:])
    if "#" in lines[i] or not lines[i].strip():
        candidates.append(lines[:i] + ([" ".join(words)] if words else []) + lines[i + 1:])
    return candidates


def django_version():
    import django
    return django.get_version()


def seed_range(text):
    first, _, last = text.partition(":")
    return range(int(first), int(last)) if last else range(int(first))


def sample_seeds():
    """The seeds of tools/crosscheck-django-fuzz-sample.txt: its one `seeds A:B` line."""
    with open(SAMPLE, encoding="utf-8") as f:
        for line in f:
            words = line.split("#", 1)[0].split()
            if words[:1] == ["seeds"] and len(words) == 2:
                return seed_range(words[1])
    raise ValueError(f"{SAMPLE}: no `seeds A:B` line")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m xcheck django-fuzz",
                                description="Random Django scenario files through lampctl and real Django, compared field by field.")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--seeds", type=seed_range, metavar="A:B|N", help="seeds A..B-1 (N: 0..N-1; default 0:100)")
    group.add_argument("--sample", action="store_true", help="the seeds of tools/crosscheck-django-fuzz-sample.txt")
    group.add_argument("--show", metavar="SEEDS", help="print the files of SEEDS (A:B, N:, or A) and run nothing")
    p.add_argument("--keep-going", action="store_true", help="go on after a disagreement and count them all")
    p.add_argument("--database-url", metavar="URL")
    p.add_argument("--lampctl", metavar="BIN")
    p.add_argument("--grammar", metavar="FILE", help="with --show: a grammar file instead of lampctl's")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv)
    binary = a.lampctl or os.environ.get("LAMPCTL_BIN") or os.path.join(os.path.dirname(TOOLS), ".build/debug/lampctl")
    if a.grammar is not None:
        if a.show is None:
            print("django-fuzz: --grammar goes with --show (a run reads lampctl's own grammar)", file=sys.stderr)
            return 2
        with open(a.grammar, encoding="utf-8") as f:
            grammar_json = f.read()
    else:
        grammar_json = subprocess.run([binary, "scenario", "--grammar", "--json", "--orm", "django"],
                                      capture_output=True, text=True, check=True).stdout
    generator = Generator(json.loads(grammar_json))
    if a.show is not None:
        for seed in (seed_range(a.show) if ":" in a.show else [int(a.show)]):
            sys.stdout.write(generator.generate(seed))
        return 0
    seeds = list(sample_seeds() if a.sample else range(100) if a.seeds is None else a.seeds)
    if not seeds:
        print("django-fuzz: no seeds to run", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="lampctl-djfuzz-") as workdir:
        grammar_path = os.path.join(workdir, "grammar.json")
        with open(grammar_path, "w", encoding="utf-8") as f:
            f.write(grammar_json)
        missing = Grammar(grammar_path).unimplemented()
        if missing:
            print(f"django-fuzz: lampctl's grammar has {', '.join(missing)}, which the Django runner does not implement;"
                  f" add it to tools/xcheck first", file=sys.stderr)
            return 2
        url = a.database_url or os.environ.get("DATABASE_URL") or None
        started = False
        if not url:
            if subprocess.run([binary, "db", "status"], capture_output=True).returncode != 0:
                subprocess.run([binary, "db", "start"], capture_output=True, check=True)
                started = True
            url = subprocess.run([binary, "db", "url"], capture_output=True, text=True, check=True).stdout.strip()
        django = fuzzer = None
        start = time.monotonic()
        try:
            django = DjangoSide(url, grammar_path)
            fuzzer = Fuzzer(Lampctl(binary, url), django, generator, workdir, a.keep_going)
            for at in range(0, len(seeds), BATCH):
                if not fuzzer.batch(seeds[at:at + BATCH]) and not a.keep_going:
                    break
        finally:
            if django is not None:
                django.close()
            if started:
                subprocess.run([binary, "db", "stop"], capture_output=True)
        elapsed = time.monotonic() - start
        ran = fuzzer.checked
        both = sorted(set(fuzzer.both_ended))
        print(f"django-fuzz: {ran} seeds ({seeds[0]}:{seeds[0] + ran}), {fuzzer.lampctl_cases} lampctl cases, "
              f"{fuzzer.compared} compared with Django {django_version()}"
              f"{f' ({len(both)} seeds where both ended the run: ' + ', '.join(map(str, both[:10])) + ')' if both else ''}"
              f"; {len(fuzzer.findings)} disagreements"
              f"{' (seeds ' + ', '.join(map(str, fuzzer.findings)) + ')' if fuzzer.findings else ''}; "
              f"{elapsed:.1f} s ({1000 * elapsed / max(ran, 1):.0f} ms a seed); "
              f"never generated: {', '.join(generator.unused(fuzzer.texts)) or 'nothing'}", flush=True)
        print("django-fuzz: lampctl's cases reached " + ", ".join(f"{k} {n}" for k, n in sorted(fuzzer.reached.items(), key=lambda kv: -kv[1])), flush=True)
        return 1 if fuzzer.findings else 0
