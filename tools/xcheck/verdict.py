"""A case's facts (what the ORM side observed) turned into the JSON line of
docs/django-semantics.md: verdict, outcome, layer, app_change_survives, keys in the contract's order."""
from dataclasses import dataclass, field


@dataclass
class Facts:
    """What one case observed. `error` is {kind, line[, holder]} or None; `stopped` the line of the
    failed expect a --stop-at-failed-expect case ended at; `cached_bind` whether the observed lamp's
    variable was last bound by an iterate that ran no SQL; `tx_writer` pg_xact_status of the row
    version the test's transaction saw ('in progress', or None); `app_write` the app's last write
    to the observed lamp ("on", None for a delete; `app_wrote` False when it wrote none)."""
    strategy: str
    isolation: str
    fixture: str
    show_wrapper: bool
    lamp: str
    object_status: object = None
    transaction_status: object = None
    committed_status: object = None
    same_object: bool = False
    expectations: list = field(default_factory=list)
    error: dict = None
    cached_bind: bool = False
    tx_writer: str = None
    worker_reads: list = None
    other_connection_status: object = None
    after_teardown_status: object = None
    app_wrote: bool = False
    app_write: object = None
    stopped: int = None


OUTCOMES = {(True, "fresh"): "true pass", (False, "fresh"): "true failure",
            (True, "stale"): "false pass", (False, "stale"): "false failure"}


# The version lampctl's JSON lines carry first (CaseLine.schemaVersion).
SCHEMA_VERSION = 2


def outcome(facts):
    """The case's outcome, as the contract names it."""
    if facts.error is not None:
        return "blocked" if facts.error["kind"] == "blocked" else "error"
    passes = all(facts.expectations) if facts.expectations else None
    if passes is None:
        return "no assertion"
    return OUTCOMES[(passes, verdict(facts))]


def verdict(facts):
    return None if facts.error is not None else ("fresh" if facts.object_status == facts.committed_status else "stale")


def layer(facts):
    """Stale only: the object layer (queryset cache / instance copy) when the test's transaction
    saw the committed status; else uncommitted write or snapshot."""
    if verdict(facts) != "stale":
        return None
    if facts.transaction_status == facts.committed_status:
        return "queryset cache" if facts.cached_bind else "instance copy"
    return "uncommitted write" if facts.tx_writer == "in progress" else "snapshot"


def line(facts, outcome_without_stopping=None):
    """The JSON object (a dict in key order) for one case."""
    failed = facts.error is not None
    out = {"schema_version": SCHEMA_VERSION, "strategy": facts.strategy, "orm": "django", "isolation": facts.isolation}
    if facts.show_wrapper:
        out["fixture"] = facts.fixture
    if facts.lamp:
        out["lamp"] = facts.lamp
    out.update({
        "object_status": None if failed else facts.object_status,
        "transaction_status": None if failed else facts.transaction_status,
        "committed_status": facts.committed_status,
        "same_object": facts.same_object,
        "verdict": verdict(facts),
        "test_passes": False if failed else (all(facts.expectations) if facts.expectations else None),
        "outcome": outcome(facts),
        "layer": layer(facts),
    })
    if facts.worker_reads is not None:
        out["worker_reads"] = facts.worker_reads
    if facts.show_wrapper:
        survives = None if failed or not facts.app_wrote else facts.transaction_status == facts.app_write
        out.update({"other_connection_status": facts.other_connection_status,
                    "after_teardown_status": facts.after_teardown_status, "app_change_survives": survives})
    if failed:
        out["error"] = facts.error
    if facts.stopped is not None:
        out.update({"stopped_at_line": facts.stopped, "outcome_without_stopping": outcome_without_stopping})
    return out
