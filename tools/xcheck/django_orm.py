"""The Django side of the cross-check: each case runs with real Django 5.2 (tools/django-venv.sh)
inside a real test class, run by unittest as a test suite runs it:
- live-server: a TransactionTestCase (what LiveServerTestCase is) with the run's LiveServerThread;
- transaction-test-case: a TransactionTestCase, the views through self.client;
- test-case: a TestCase (its class and test atomic blocks), the views through self.client;
- test-case-live-server: a TestCase with the run's LiveServerThread (pytest-django's db + live_server).
Its teardown is the class's own: TestCase rolls its blocks back, TransactionTestCase flushes
(TRUNCATE "lamps"). The test method runs the steps, then the observation of
docs/django-semantics.md (steps 1-5); step 6's read follows the class's teardown.

Django is configured in code: DATABASES["default"] from the URL's parameters, CONN_MAX_AGE 0,
AUTOCOMMIT, no ATOMIC_REQUESTS, psycopg2, search_path = the run's schema; an isolation level is
OPTIONS["isolation_level"] of the connection that runs at it (the test's: the main thread's
connection; an app session's: its live-server request thread's)."""
import time, unittest

import psycopg2
import psycopg2.extensions as ext

from . import django_steps as steps
from .scenario import STEPS
from .verdict import Facts

LEVEL_OPTIONS = {"read-committed": ext.ISOLATION_LEVEL_READ_COMMITTED,
                 "repeatable-read": ext.ISOLATION_LEVEL_REPEATABLE_READ,
                 "serializable": ext.ISOLATION_LEVEL_SERIALIZABLE, "server-default": None}
TEST_CASE_WRAPPERS = {"test-case", "test-case-live-server"}
LIVE_SERVER_WRAPPERS = {"live-server", "test-case-live-server"}
assert set(steps.TEST) == set(STEPS["test"]), "django_steps.TEST and scenario.TEST_STEPS name the same steps"

# The xmin of the row version the connection's transaction sees, as xid8 (epoch from the current
# snapshot's xmax), then pg_xact_status of it (tools/crosscheck.py's VISIBLE_VERSION).
VISIBLE_WRITER = ("SELECT pg_xact_status((n.nx + ((lamps.xmin::text::bigint - (n.nx & 4294967295) + 2147483648)"
                  " & 4294967295) - 2147483648)::text::xid8) FROM (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint"
                  " AS nx) n, lamps WHERE lamps.id = %s")


def database_settings(url, schema):
    """DATABASES["default"] for a libpq URL: the contract's settings, search_path = schema."""
    p = ext.parse_dsn(url)
    options = {k: v for k, v in p.items() if k not in ("dbname", "user", "password", "host", "port")}
    options.update({"options": f"-c search_path={schema}", "application_name": f"djx:{schema}"})
    return {"ENGINE": "django.db.backends.postgresql", "NAME": p.get("dbname", ""), "USER": p.get("user", ""),
            "PASSWORD": p.get("password", ""), "HOST": p.get("host", ""), "PORT": p.get("port", ""),
            "CONN_MAX_AGE": 0, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "OPTIONS": options}


def configure(url, schema):
    import django
    from django.conf import settings
    settings.configure(
        DATABASES={"default": database_settings(url, schema)}, INSTALLED_APPS=["xcheck.lampapp"],
        ROOT_URLCONF="xcheck.lampapp.urls", MIDDLEWARE=[], ALLOWED_HOSTS=["*"], DEBUG=False, SECRET_KEY="xcheck",
        USE_TZ=True, DEFAULT_AUTO_FIELD="django.db.models.AutoField", STATIC_URL="/static/", MEDIA_URL="/media/")
    django.setup()


def error_kind(exc):
    """The contract's kind for an error that is a case's outcome; None: the run must end."""
    from django.db import transaction, utils
    from .lampapp.models import Lamp
    if isinstance(exc, Lamp.DoesNotExist):
        return "Lamp.DoesNotExist"
    for cls in (transaction.TransactionManagementError, utils.OperationalError, utils.IntegrityError):
        if isinstance(exc, cls):
            return cls.__name__
    return "IndexError" if type(exc) is IndexError else None


class Runner:
    """One run's Django: configured once, one live server (started at its first use)."""

    def __init__(self, url, schema, monitor):
        configure(url, schema)
        from django.db import connections
        from .django_server import AppContext
        self.url, self.schema, self.monitor = url, schema, monitor
        self.base = connections.settings["default"]
        self.context = AppContext(monitor)
        self.server = None
        self.default_iso = self.fresh("SHOW default_transaction_isolation")

    def settings_for(self, level):
        """A copy of DATABASES["default"] with OPTIONS["isolation_level"] for level."""
        options = dict(self.base["OPTIONS"])
        if LEVEL_OPTIONS[level] is not None:
            options["isolation_level"] = LEVEL_OPTIONS[level]
        return {**self.base, "OPTIONS": options}

    def live_server(self):
        if self.server is None:
            from .django_server import LiveServer
            self.server = LiveServer()
        return self.server

    def fresh(self, sql, *params):
        """One value read on a brand-new connection of the runner's (autocommit, now)."""
        c = psycopg2.connect(self.url, options=f"-c search_path={self.schema}", application_name="lampctl-xcheck-read")
        c.autocommit = True
        try:
            with c.cursor() as cur:
                cur.execute(sql, params)
                row = cur.fetchone()
            return row and row[0]
        finally:
            c.close()

    def spelled(self, level):
        return self.default_iso if level == "server-default" else level.replace("-", " ")

    def run_case(self, scenario, fixture, isolation, show, stop):
        """One case (see module doc): its Facts. Leaves no connection open."""
        from django.db import connections
        case = Case(self, scenario, fixture, isolation, show, stop)
        self.monitor.reset()
        connections["default"].close()
        connections["default"].settings_dict = self.settings_for(scenario.test.isolation or isolation)
        result = unittest.TestResult()
        try:
            unittest.TestSuite([case.test_class()("test")]).run(result)
            for _, trace in result.errors + result.failures:
                raise RuntimeError(f"{scenario.path} ({fixture}, {isolation}): the case did not run:\n{trace}")
            if show:
                case.facts.after_teardown_status = self.fresh("SELECT status FROM lamps WHERE id = %s", case.observed_id)
        finally:
            connections.close_all()
            self.monitor.close()
            self.wait_for_no_connection()
        return case.facts

    def wait_for_no_connection(self):
        """Each case ends with every connection Django opened for it closed (a live-server request
        thread closes its own just after answering): waits up to 5 s, then ends the run."""
        deadline = time.monotonic() + 5
        while self.fresh("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", f"djx:{self.schema}"):
            if time.monotonic() > deadline:
                raise RuntimeError("a connection of the case is still open 5 s after it ended")
            time.sleep(0.01)

    def close(self):
        from django.db import connections
        if self.server is not None:
            self.server.terminate()
        connections.close_all()
        self.monitor.close()


class Case:
    """One case's state while its test method runs."""

    def __init__(self, runner, scenario, fixture, isolation, show, stop):
        self.runner, self.scenario, self.fixture, self.isolation, self.stop = runner, scenario, fixture, isolation, stop
        self.lamps, self.order, self.atomics = {}, [], []
        self.expected, self.expectations, self.app_writes = None, [], {}
        self.worker_reads = [] if scenario.has_role("worker") else None
        self.test = None
        self.facts = Facts(scenario.name, self.isolation_label(), fixture, show, "")

    def isolation_label(self):
        """The JSON's isolation object: the test's setting and level as PostgreSQL spells it, then
        each app session with a connection of its own and its level."""
        r = self.runner
        requested = self.scenario.test.isolation or self.isolation
        apps = {s.name: r.spelled(s.isolation or self.isolation) for s in self.scenario.sessions.values()
                if s.role == "app" and self.fixture in LIVE_SERVER_WRAPPERS}
        return {"requested": requested, "test": r.spelled(requested), "applications": apps}

    def var(self, lamp):
        return self.lamps[lamp]

    @property
    def observed(self):
        """The last expect's lamp, else the unnamed lamp, else the first created."""
        if self.expected is not None:
            return self.expected
        return "" if "" in self.lamps else self.order[0]

    @property
    def observed_id(self):
        return self.lamps[self.observed].id

    def test_class(self):
        """The real Django test class this case runs as (its test method: the steps and the observation)."""
        from django.test import TestCase, TransactionTestCase
        case = self

        class XcheckCase(TestCase if self.fixture in TEST_CASE_WRAPPERS else TransactionTestCase):
            def test(self):
                case.test = self
                case.run_steps()
        return XcheckCase

    def run_steps(self):
        error = None
        for step in self.scenario.steps:
            try:
                self.runner.monitor.run(lambda: self.perform(step))
            except Exception as exc:  # noqa: BLE001 - the kinds of docs/django-semantics.md are outcomes
                if self.runner.monitor.found is not None:
                    error = {"kind": "blocked", "line": step.line, "holder": self.runner.monitor.found}
                else:
                    kind = error_kind(exc)
                    if kind is None or not self.lamps:
                        raise
                    error = {"kind": kind, "line": step.line}
                break
            if self.stop and step.keyword == "expect" and not self.expectations[-1]:
                self.facts.stopped = step.line
                break
        self.observe(error)

    def perform(self, step):
        session = self.scenario.sessions[step.session]
        if session.role == "test":
            self.runner.context.test_label = step.session
            steps.TEST[step.keyword](self, step)
        elif session.role == "worker":
            from .django_server import worker_read
            self.worker_reads.append(worker_read(step.session, self.var(step.lamp).id))
        else:
            self.app_request(session, step)

    def app_request(self, session, step):
        """One request of the application: the view through the client or the live server."""
        from .django_server import client_post
        path = f"/lamps/{self.var(step.lamp).id}/{step.keyword}"
        if self.fixture in LIVE_SERVER_WRAPPERS:
            context = self.runner.context
            context.app_label = session.name
            context.app_settings = self.runner.settings_for(session.isolation or self.isolation)
            self.runner.live_server().post(context, path)
        else:
            client_post(self.test, path)
        self.app_writes[step.lamp] = "on" if step.keyword == "switch-on" else None

    def observe(self, error):
        """Observation steps 1-5 (docs/django-semantics.md), inside the test method."""
        from django.db import connection
        f, lamp = self.facts, self.lamps[self.observed]
        f.lamp, f.error, f.expectations, f.worker_reads = self.observed, error, self.expectations, self.worker_reads
        f.same_object = lamp.obj is lamp.created
        f.cached_bind = lamp.cached
        if error is None:
            f.object_status = lamp.obj.status
            f.transaction_status = steps.read_status(lamp.id)
            if connection.in_atomic_block:
                with connection.cursor() as cur:
                    cur.execute(VISIBLE_WRITER, [lamp.id])
                    row = cur.fetchone()
                f.tx_writer = row and row[0]
        if f.show_wrapper:
            f.other_connection_status = self.runner.fresh("SELECT status FROM lamps WHERE id = %s", lamp.id)
        if self.fixture in TEST_CASE_WRAPPERS:
            f.committed_status = steps.read_status(lamp.id)
        while self.atomics:
            steps.abort_atomic(self, None)
        if self.fixture not in TEST_CASE_WRAPPERS:
            f.committed_status = self.runner.fresh("SELECT status FROM lamps WHERE id = %s", lamp.id)
        f.app_wrote = self.observed in self.app_writes
        f.app_write = self.app_writes.get(self.observed)
