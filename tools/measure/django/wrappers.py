#!/usr/bin/env python3
"""The four test wrappers of docs/django-semantics.md, with Django's real classes run by unittest:
- live-server: LiveServerTestCase (its server thread; a request thread and connection per request;
  the test's connection in autocommit; teardown: TransactionTestCase's flush);
- transaction-test-case: TransactionTestCase + self.client (the view on the test's connection);
- test-case: TestCase + self.client (class and test atomic blocks; the view's atomic a savepoint);
- test-case-live-server: TestCase + a LiveServerThread, as pytest-django's `db` + `live_server`.
In each: create a lamp, the app switches it on (a POST), then the test reads its instance, gets
the lamp again, and reads on its own connection; a brand-new connection reads during the test and
after the class is torn down. The model is unmanaged as in the contract, so flush skips it here
(flush.py measures that).

Usage: wrappers.py DATABASE_URL [--case NAME]
"""
import sys, unittest, urllib.error, urllib.request

from common import describe, fresh, main, note, sees

SERVER = None
VIEW_ERRORS = []


def live_server():
    """One LiveServerThread for the run, as LiveServerTestCase.setUpClass / pytest-django's live_server start it."""
    global SERVER
    if SERVER is None:
        from django.core.signals import got_request_exception
        from django.test.testcases import LiveServerThread, _StaticFilesHandler
        got_request_exception.connect(lambda sender, request, **kw: VIEW_ERRORS.append(sys.exc_info()[1]), weak=False)
        SERVER = LiveServerThread("localhost", _StaticFilesHandler, connections_override={}, port=0)
        SERVER.daemon = True
        SERVER.start()
        SERVER.is_ready.wait()
    return f"http://localhost:{SERVER.port}"


def post(base, path):
    """The test's request to the live server (urllib); a 500 is noted with the view's exception."""
    VIEW_ERRORS.clear()
    try:
        with urllib.request.urlopen(urllib.request.Request(base + path, method="POST")) as r:
            note(f"POST {path}", f"{r.status} {r.read().decode()!r}")
    except urllib.error.HTTPError as e:
        note(f"POST {path}", f"{e.code}; the view raised: {describe(VIEW_ERRORS[0]) if VIEW_ERRORS else '?'}")


def flow(test, via_client, base=None):
    """The test body shared by the four wrappers."""
    from lampapp.models import Lamp
    lamp = Lamp.objects.create()
    note("--- the app's request", "")
    path = f"/lamps/{lamp.pk}/switch-on"
    if via_client:
        try:
            r = test.client.post(path)
            note(f"client.post {path}", f"{r.status_code} {r.content.decode()!r}")
        except Exception as exc:  # noqa: BLE001
            note(f"client.post {path}", describe(exc))
    else:
        post(base, path)
    note("lamp.status (the instance)", repr(lamp.status))
    try:
        note("Lamp.objects.get(pk=...).status", repr(Lamp.objects.get(pk=lamp.pk).status))
    except Exception as exc:  # noqa: BLE001
        note("Lamp.objects.get(pk=...)", describe(exc))
    note("the test's connection reads", sees(lamp.pk))
    note("a brand-new connection reads (during the test)", fresh(lamp.pk))
    test.pk = lamp.pk


def run(cls):
    """Runs cls's test with unittest (setUpClass, _pre_setup, the test, _post_teardown, tearDownClass)."""
    note("--- unittest run of", f"{cls.__name__}({cls.__mro__[1].__name__})")
    result = unittest.TestResult()
    test = cls("test")
    unittest.TestSuite([test]).run(result)
    for _, trace in result.errors + result.failures:
        print(trace)
    note("--- after the class's teardown: a brand-new connection reads", fresh(type(test).pk))


def live_server_wrapper():
    """LiveServerTestCase: the view on the server's request thread."""
    from django.test import LiveServerTestCase

    class LiveServer(LiveServerTestCase):
        def test(self):
            flow(type(self), False, self.live_server_url)
    run(LiveServer)


def transaction_test_case_wrapper():
    """TransactionTestCase + the test client."""
    from django.test import TransactionTestCase

    class Transactional(TransactionTestCase):
        def test(self):
            flow(self, True)
            type(self).pk = self.pk
    run(Transactional)


def test_case_wrapper():
    """TestCase + the test client."""
    from django.test import TestCase

    class Plain(TestCase):
        def test(self):
            flow(self, True)
            type(self).pk = self.pk
    run(Plain)


def test_case_live_server_wrapper():
    """TestCase + a live server thread (pytest-django: db + live_server)."""
    from django.test import TestCase
    base = live_server()

    class WithServer(TestCase):
        def test(self):
            flow(self, False, base)
            type(self).pk = self.pk
    run(WithServer)


def test_client_raises_view_errors():
    """TestCase + the test client: the view's exception (delete of a lamp the view cannot find) reaches the test."""
    from django.test import TestCase

    class Raising(TestCase):
        def test(self):
            try:
                self.client.post("/lamps/999999/delete")
            except Exception as exc:  # noqa: BLE001
                note("client.post of a missing lamp", describe(exc))
            type(self).pk = 999999
    run(Raising)


if __name__ == "__main__":
    try:
        main([live_server_wrapper, transaction_test_case_wrapper, test_case_wrapper, test_case_live_server_wrapper,
              test_client_raises_view_errors])
    finally:
        if SERVER is not None:
            SERVER.terminate()
