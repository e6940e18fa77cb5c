"""The block monitor: finds a step waiting on a lock another session of the same case holds, as
PostgreSQL's isolation tester (and lampctl) do. While a step runs for more than 10 ms, a thread
asks pg_isolation_test_session_is_blocked from a connection of its own about every backend the
case has opened, names the holder with pg_blocking_pids, and cancels the waiting statement
(pg_cancel_backend): the step then fails, and the case reports `blocked` with the holder."""
import threading

import psycopg2


class BlockMonitor:
    """One per run. `pids` maps a backend pid to its session's name (the ORM side fills it as
    connections open: Django's connection_created signal); `close()` after each case."""

    def __init__(self, dsn):
        self.dsn, self.conn = dsn, None
        self.pids, self.found = {}, None
        self.lock = threading.Lock()

    def note(self, pid, label):
        """A backend opened by session `label` (any thread may call it)."""
        with self.lock:
            self.pids[pid] = label

    def reset(self):
        """A new case: no backend known, nothing found."""
        with self.lock:
            self.pids, self.found = {}, None

    def run(self, step):
        """Runs step() while watching; `found` is then the holder's name when the step was blocked."""
        self.found, done = None, threading.Event()
        watcher = threading.Thread(target=self._watch, args=(done,), daemon=True)
        watcher.start()
        try:
            return step()
        finally:
            done.set()
            watcher.join()

    def close(self):
        """Closes the monitor's own connection (every case ends with no connection open)."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def backends(self):
        """{pid: [label, ...]}: the backends to watch and the names of the sessions on each, a
        snapshot (the SQLAlchemy side keeps each session's latest backend instead: several
        sessions may have begun on one pooled connection)."""
        with self.lock:
            return {pid: [label] for pid, label in self.pids.items()}

    def _watch(self, done):
        wait = 0.01
        while not done.wait(wait):
            wait = min(wait * 2, 0.1)
            if self.conn is None:
                self.conn = psycopg2.connect(self.dsn, application_name="lampctl-xcheck-monitor")
                self.conn.autocommit = True
            backends = self.backends()
            with self.conn.cursor() as cur:
                for pid in backends:
                    others = sorted(p for p in backends if p != pid)
                    cur.execute("SELECT pg_isolation_test_session_is_blocked(%s, %s::int[])", (pid, others))
                    if not cur.fetchone()[0]:
                        continue
                    cur.execute("SELECT unnest(pg_blocking_pids(%s))", (pid,))
                    holders = {row[0] for row in cur.fetchall()}
                    names = sorted({label for p in holders if p in backends and p != pid for label in backends[p]})
                    self.found = ", ".join(names) or "another session"
                    cur.execute("SELECT pg_cancel_backend(%s)", (pid,))
                    return
