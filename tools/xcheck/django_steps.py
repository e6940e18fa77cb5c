"""The Django code each scenario step runs (docs/django-semantics.md, "Steps"), on a Case
(django_orm.Case): `case.var(lamp)` is the test's variables for that lamp (the instance `lamp`,
the QuerySet `lamps`), `case.test` the running TestCase (its client)."""
from dataclasses import dataclass

from django.db import connection, transaction


class AbortAtomic(Exception):
    """Raised in a block the test leaves by an exception (abort-atomic), caught outside it."""


@dataclass
class Var:
    """One lamp's test variables: its id (create's pk), `lamp` (obj), the instance create returned,
    `lamps` (qs), and whether obj was last bound by an iterate that ran no SQL."""
    id: int
    obj: object
    created: object
    qs: object = None
    cached: bool = False


def lamp_model():
    from .lampapp.models import Lamp
    return Lamp


def create(case, step):
    Lamp = lamp_model()
    obj = Lamp.objects.create(status=step.args[0]) if step.args else Lamp.objects.create()
    case.lamps[step.lamp] = Var(obj.pk, obj, obj)
    case.order.append(step.lamp)


def bind(case, step, obj, cached=False):
    v = case.var(step.lamp)
    v.obj, v.cached = obj, cached


def get(case, step):
    bind(case, step, lamp_model().objects.get(pk=case.var(step.lamp).id))


def refresh(case, step):
    case.var(step.lamp).obj.refresh_from_db(fields=["status"] if step.args else None)


def filter_(case, step):
    v = case.var(step.lamp)
    v.qs = lamp_model().objects.filter(pk=v.id)


def iterate(case, step):
    """lamp = list(lamps)[0]; whether it ran SQL is counted with connection.execute_wrapper."""
    v = case.var(step.lamp)
    if v.qs is None:
        raise RuntimeError(f"line {step.line}: iterate before any filter of that lamp")
    sent = []
    with connection.execute_wrapper(lambda execute, sql, params, many, context: (sent.append(sql), execute(sql, params, many, context))[1]):
        obj = list(v.qs)[0]
    bind(case, step, obj, cached=not sent)


def select_for_update(case, step):
    bind(case, step, lamp_model().objects.select_for_update().get(pk=case.var(step.lamp).id))


def set_(case, step):
    case.var(step.lamp).obj.status = step.args[0]


def save(case, step):
    case.var(step.lamp).obj.save()


def atomic(case, step):
    block = transaction.atomic()
    block.__enter__()
    case.atomics.append(block)


def end_atomic(case, step):
    if not case.atomics:
        raise RuntimeError(f"line {step.line}: end-atomic with no atomic block of the test's open")
    case.atomics.pop().__exit__(None, None, None)


def abort_atomic(case, step):
    """`try: with atomic(): ... raise AbortAtomic; except AbortAtomic: pass`, the block's exit as it runs there."""
    if not case.atomics:
        raise RuntimeError(f"line {step.line}: abort-atomic with no atomic block of the test's open")
    error = AbortAtomic()
    case.atomics.pop().__exit__(AbortAtomic, error, None)


def sql_read(case, step):
    return read_status(case.var(step.lamp).id)


def read_status(lamp_id):
    """SELECT status on the current thread's connection, in whatever transaction is open there."""
    with connection.cursor() as cur:
        cur.execute("SELECT status FROM lamps WHERE id = %s", [lamp_id])
        row = cur.fetchone()
    return row and row[0]


def expect(case, step):
    case.expected = step.lamp
    case.expectations.append(case.var(step.lamp).obj.status == step.args[0])


TEST = {"create": create, "get": get, "refresh": refresh, "filter": filter_, "iterate": iterate,
        "select-for-update": select_for_update, "set": set_, "save": save, "atomic": atomic,
        "end-atomic": end_atomic, "abort-atomic": abort_atomic, "sql-read": sql_read, "expect": expect}
