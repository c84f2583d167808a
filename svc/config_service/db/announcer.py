"""Sending the change feed's hints of committed events, many in one transaction.

A NOTIFY in a writing transaction takes a lock on the whole database at commit and keeps
it until the commit is on disk, so writers that notify cannot share a WAL flush. The
service's sessions therefore leave their applications' and configurations' events unsent
(migration 0014): each appending statement returns its events' hints, the unit of work
hands them here once committed, and one thread per process sends those gathered over a few
milliseconds in one transaction that writes no rows and does not wait for its commit to
be flushed.

A hint is only a wake-up, and one that is lost (the process killed before sending it, the
database unreachable twice in a row, the connection lost after a write committed but
before its answer came back) delays a waiting reader, never hides an event: every reader
reads the table, and the listener finds events left unannounced (db/listener.py).
"""

import logging
import queue
import threading
import time
from collections.abc import Iterable

import psycopg2

log = logging.getLogger(__name__)
# The session option of the connections whose events are announced here (migration 0014).
AFTER_COMMIT = "-c config_service.announce=after_commit"
SEND = "SELECT count(pg_notify('config_events', hint)) FROM unnest(%s::text[]) AS hint"
# How long hints are gathered after the first, and the most sent together.
WINDOW_SECONDS = 0.005
BATCH_MAX = 500
_STOP = None


class Announcer:
    def __init__(self, dsn: str, connect_timeout: int, window_seconds: float = WINDOW_SECONDS) -> None:
        self._dsn = dsn
        self._connect_timeout = connect_timeout
        self._window = window_seconds
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._conn = None
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    def announce(self, hints: Iterable[str]) -> None:
        """Send `hints` soon (never blocks)."""
        self._queue.put(list(hints))

    def close(self, timeout: float = 5.0) -> None:
        """Send what is queued, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _run(self) -> None:
        stopping = False
        while not stopping:
            batch = self._queue.get()
            if batch is _STOP:
                break
            deadline = time.monotonic() + self._window
            while len(batch) < BATCH_MAX:
                try:
                    more = self._queue.get(timeout=max(deadline - time.monotonic(), 0))
                except queue.Empty:
                    break
                if more is _STOP:
                    stopping = True
                    break
                batch.extend(more)
            self._send(batch)
        if self._conn is not None:
            self._conn.close()

    def _send(self, hints: list[str]) -> None:
        for attempt in (1, 2):  # a connection found broken is replaced once
            try:
                if self._conn is None:
                    self._conn = self._connect()
                with self._conn.cursor() as cur:
                    cur.execute(SEND, (hints,))
                return
            except Exception as error:  # whatever it is, the thread goes on with the next batch
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
                if attempt == 2:
                    problem = (str(error).strip().splitlines() or [type(error).__name__])[0]
                    log.warning("change feed: %d committed events not announced (%s)", len(hints), problem)

    def _connect(self):
        conn = psycopg2.connect(self._dsn, connect_timeout=self._connect_timeout,
                                application_name="config-service-announce",
                                options="-c synchronous_commit=off")
        conn.autocommit = True
        return conn
