"""The application side of a case: the views run through Django's test client (on the test's
thread and connection) or a real live server (Django's LiveServerThread: a request thread and a
connection per request, closed after it), and the worker's plain read on a thread of its own.

The signal receivers below are the runner's only hooks into Django: connection_created names
each backend for the block monitor; request_started gives a live-server request thread the app
session's DATABASES entry (its isolation=); got_request_exception keeps the view's exception
(the live server answers 500; the case reports the exception the view raised)."""
import sys, threading, urllib.error, urllib.request

from django.core.signals import got_request_exception, request_started
from django.db import connections
from django.db.backends.signals import connection_created


class AppContext:
    """Who acts now: the label and DATABASES entry a non-main thread's connection gets."""

    def __init__(self, monitor):
        self.monitor = monitor
        self.test_label = "S1"
        self.app_label, self.app_settings = "S2", None
        self.view_errors = []
        connection_created.connect(self._created, weak=False)
        request_started.connect(self._request_started, weak=False)
        got_request_exception.connect(self._got_exception, weak=False)

    def _created(self, sender, connection, **kw):
        main = threading.current_thread() is threading.main_thread()
        label = self.test_label if main else getattr(threading.current_thread(), "xcheck_label", self.app_label)
        self.monitor.note(connection.connection.info.backend_pid, label)

    def _request_started(self, sender, **kw):
        if threading.current_thread() is not threading.main_thread() and self.app_settings is not None:
            connections["default"].settings_dict = self.app_settings

    def _got_exception(self, sender, request=None, **kw):
        if threading.current_thread() is not threading.main_thread():
            self.view_errors.append(sys.exc_info()[1])


class LiveServer:
    """One LiveServerThread for the run, started as LiveServerTestCase.setUpClass starts its own
    (connections_override: none, the server is PostgreSQL), stopped at the end of the run."""

    def __init__(self):
        from django.test.testcases import LiveServerThread, _StaticFilesHandler
        self.thread = LiveServerThread("localhost", _StaticFilesHandler, connections_override={}, port=0)
        self.thread.daemon = True
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            raise self.thread.error
        self.url = f"http://localhost:{self.thread.port}"

    def post(self, context, path):
        """POST to the live server; a 500 raises the exception the view raised."""
        context.view_errors.clear()
        try:
            with urllib.request.urlopen(urllib.request.Request(self.url + path, method="POST"), timeout=120) as r:
                r.read()
        except urllib.error.HTTPError as e:
            if e.code == 500 and context.view_errors:
                raise context.view_errors[0] from None
            raise RuntimeError(f"POST {path}: HTTP {e.code} with no exception from the view") from None

    def terminate(self):
        self.thread.terminate()


def client_post(test, path):
    """self.client.post(path): the view on the test's thread; the client re-raises its exception."""
    response = test.client.post(path)
    if response.status_code != 200:
        raise RuntimeError(f"client.post {path}: HTTP {response.status_code}")


def worker_read(label, lamp_id):
    """Another process's plain read, now: a thread with a connection of its own, closed after."""
    from .django_steps import read_status
    out = {}

    def run():
        threading.current_thread().xcheck_label = label
        try:
            out["value"] = read_status(lamp_id)
        except Exception as exc:  # noqa: BLE001 - re-raised on the caller's thread
            out["error"] = exc
        finally:
            connections.close_all()
    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]
