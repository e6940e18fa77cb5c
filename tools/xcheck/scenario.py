"""Scenario files for the Django cross-check: the keyword tables this runner implements
(docs/django-semantics.md), lampctl's grammar tables (`lampctl scenario --grammar --json --orm
django`) checked against them, and the parser that turns a file into sessions and steps.

The parser trusts the file's shape: lampctl accepts or refuses a file before the cross-check
runs it; what this module refuses (exit 2) is a keyword, setting or value it cannot run.
"""
import json, re
from dataclasses import dataclass, field

LEVELS = ("read-committed", "repeatable-read", "serializable", "server-default")
WRAPPERS = ("live-server", "test-case", "test-case-live-server", "transaction-test-case")

# What this runner implements: line keywords, session roles, settings (with their values) and,
# per role, steps with their argument values and whether they take a lamp name.
LINES = {"scenario", "summary", "session"}
ROLES = {"test", "app", "worker"}
SETTINGS = {"isolation": {"roles": {"test", "app"}, "values": set(LEVELS)},
            "fixture": {"roles": {"test"}, "values": set(WRAPPERS)}}
TEST_STEPS = {
    "create": {"values": ["on", "off"], "lamp": True},
    "get": {"values": [], "lamp": True},
    "refresh": {"values": ["status"], "lamp": True},
    "filter": {"values": [], "lamp": True},
    "iterate": {"values": [], "lamp": True},
    "select-for-update": {"values": [], "lamp": True},
    "set": {"values": ["on", "off"], "lamp": True},
    "save": {"values": [], "lamp": True},
    "atomic": {"values": [], "lamp": False},
    "end-atomic": {"values": [], "lamp": False},
    "abort-atomic": {"values": [], "lamp": False},
    "sql-read": {"values": [], "lamp": True},
    "expect": {"values": ["on", "off"], "lamp": True},
}
APP_STEPS = {"switch-on": {"values": [], "lamp": True}, "delete": {"values": [], "lamp": True}}
WORKER_STEPS = {"sql-read": {"values": [], "lamp": True}}
STEPS = {"test": TEST_STEPS, "app": APP_STEPS, "worker": WORKER_STEPS}


class FileError(Exception):
    """A file this runner cannot run (exit 2, one sentence)."""


@dataclass
class Session:
    """A `session NAME ROLE [SETTING...]` line."""
    name: str
    role: str
    isolation: str = None
    fixture: str = None


@dataclass
class Step:
    """`SESSION KEYWORD [LAMP] [ARG]` at line `line`; lamp "" is the unnamed lamp."""
    line: int
    session: str
    keyword: str
    lamp: str
    args: list = field(default_factory=list)


@dataclass
class Scenario:
    """A parsed file: its name, sessions by name (in order), steps."""
    path: str
    name: str
    sessions: dict
    steps: list

    @property
    def test(self):
        return next(s for s in self.sessions.values() if s.role == "test")

    def has_role(self, role):
        return any(s.role == role for s in self.sessions.values())


class Grammar:
    """The keyword tables a file is read with: lampctl's (from --grammar FILE) or this runner's own."""

    def __init__(self, path=None):
        if path is None:
            self.lines, self.roles = set(LINES), set(ROLES)
            self.settings = {k: {"values": sorted(v["values"]), "roles": sorted(v["roles"])} for k, v in SETTINGS.items()}
            self.steps = {}
            for role, table in STEPS.items():
                for keyword, entry in table.items():
                    e = self.steps.setdefault(keyword, {"keyword": keyword, "sessions": [], "values": entry["values"],
                                                        "lamp": entry["lamp"]})
                    e["sessions"].append(role)
            return
        with open(path, encoding="utf-8") as f:
            tables = json.load(f)
        self.lines = {e["keyword"] for e in tables["lines"]}
        self.roles = {e["keyword"] for e in tables["roles"]}
        self.settings = {e["keyword"]: e for e in tables["settings"]}
        self.steps = {e["keyword"]: e for e in tables["steps"]}

    def unimplemented(self):
        """What the grammar has and this runner does not implement, as phrases (empty: all of it)."""
        missing = []
        for kind, theirs, ours in (("line keyword", self.lines, LINES), ("session role", self.roles, ROLES),
                                   ("session setting", self.settings, SETTINGS)):
            missing += [f"{kind} '{k}'" for k in sorted(set(theirs) - set(ours))]
        for key, entry in sorted(self.settings.items()):
            if key in SETTINGS:
                missing += [f"value '{v}' of setting '{key}'" for v in entry.get("values") or []
                            if v not in SETTINGS[key]["values"]]
        for keyword, entry in sorted(self.steps.items()):
            for role in entry.get("sessions", [entry.get("session")]):
                ours = STEPS.get(role, {}).get(keyword)
                if ours is None:
                    missing.append(f"{role} step '{keyword}'")
                    continue
                missing += [f"argument '{v}' of {role} step '{keyword}'" for v in entry.get("values", [])
                            if v not in ours["values"]]
        return missing

    def is_lamp_name(self, word):
        """lampctl's rule: a-z first, then a-z, 0-9, _ (at most 63); not a word of any step's values."""
        reserved = {w for e in self.steps.values() for v in e.get("values", []) for w in v.split()}
        return re.fullmatch(r"[a-z][a-z0-9_]{0,62}", word) is not None and word not in reserved

    def parse(self, path):
        """The file at path as a Scenario; FileError for what this runner cannot run."""
        sessions, steps, name = {}, [], None
        with open(path, encoding="utf-8-sig") as f:
            for number, raw in enumerate(f, start=1):
                toks = raw.split("#", 1)[0].split()
                if not toks or toks[0] == "summary":
                    continue
                if toks[0] == "scenario":
                    name = toks[1]
                    orm = [t.split("=", 1)[1] for t in toks[2:] if t.startswith("orm=")]
                    if orm and orm != ["django"]:
                        raise FileError(f"{path}:{number}: orm={orm[0]}: this runner runs Django scenarios only")
                elif toks[0] == "session":
                    sessions[toks[1]] = self._session(path, number, toks)
                else:
                    steps.append(self._step(path, number, toks, sessions))
        if name is None or sum(s.role == "test" for s in sessions.values()) != 1:
            raise FileError(f"{path}: needs a `scenario NAME` line and exactly one test session")
        return Scenario(path, name, sessions, steps)

    def _session(self, path, number, toks):
        if len(toks) < 3 or toks[2] not in ROLES:
            raise FileError(f"{path}:{number}: session role must be one of {', '.join(sorted(ROLES))}")
        session = Session(toks[1], toks[2])
        for setting in toks[3:]:
            key, _, value = setting.partition("=")
            spec = SETTINGS.get(key)
            if spec is None or value not in spec["values"] or session.role not in spec["roles"]:
                raise FileError(f"{path}:{number}: setting '{setting}' is not one this runner implements for a {session.role} session")
            setattr(session, key, value)
        return session

    def _step(self, path, number, toks, sessions):
        if toks[0] not in sessions or len(toks) < 2:
            raise FileError(f"{path}:{number}: a step must start with a declared session")
        role = sessions[toks[0]].role
        spec = STEPS[role].get(toks[1])
        if spec is None:
            raise FileError(f"{path}:{number}: '{toks[1]}' is not a {role} step this runner implements")
        args, lamp = toks[2:], ""
        if spec["lamp"] and args and self.is_lamp_name(args[0]):
            lamp, args = args[0], args[1:]
        if any(a not in spec["values"] for a in args) or len(args) > 1:
            raise FileError(f"{path}:{number}: {toks[1]} takes {'|'.join(spec['values']) or 'no argument'}, not {' '.join(args)}")
        return Step(number, toks[0], toks[1], lamp, args)
