"""A bounded, waiting wrapper around psycopg2's ThreadedConnectionPool."""

import threading
import time

import psycopg2
from psycopg2.extensions import TRANSACTION_STATUS_IDLE, connection
from psycopg2.extras import register_default_jsonb
from psycopg2.pool import ThreadedConnectionPool

from config_service import exact_json
from config_service.errors import DatabaseBusy, DatabaseUnavailable

CONNECTION_ERRORS = (psycopg2.OperationalError, psycopg2.InterfaceError)


class ExactJsonConnection(connection):
    """Reads JSONB numbers exactly (int or Decimal, never float), and remembers the
    statements it has prepared (db/prepared.py)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        register_default_jsonb(self, loads=exact_json.loads)
        self.prepared: set[str] = set()


class ConnectionPool:
    """Hands out autocommit connections; waits for a free one up to a deadline.

    The bare ThreadedConnectionPool raises at once when exhausted and keeps only
    `minconn` idle connections, so a semaphore bounds checkouts and callers wait on it.
    """

    def __init__(self, dsn: str, min_size: int, max_size: int, **connect_kwargs) -> None:
        self._slots = threading.BoundedSemaphore(max_size)
        try:
            self._pool = ThreadedConnectionPool(
                min_size, max_size, dsn, connection_factory=ExactJsonConnection, **connect_kwargs
            )
        except CONNECTION_ERRORS as exc:
            raise DatabaseUnavailable() from exc

    def acquire(self, deadline: float):
        """A connection, or DatabaseBusy once `deadline` (time.monotonic) has passed."""
        if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise DatabaseBusy("No database connection became free in time; try again shortly.")
        try:
            conn = self._pool.getconn()
            if not conn.autocommit:
                conn.autocommit = True
            return conn
        except CONNECTION_ERRORS as exc:
            self._slots.release()
            raise DatabaseUnavailable() from exc
        except BaseException:
            self._slots.release()
            raise

    def release(self, conn, broken: bool = False) -> None:
        """Return a connection; a broken or mid-transaction one is closed instead."""
        if self._pool.closed:  # shutting down: nothing to return it to
            conn.close()
            self._slots.release()
            return
        try:
            healthy = (
                not broken
                and not conn.closed
                and conn.info.transaction_status == TRANSACTION_STATUS_IDLE
            )
            self._pool.putconn(conn, close=not healthy)
            if not healthy:
                self._discard_idle()
        finally:
            self._slots.release()

    def _discard_idle(self) -> None:
        # One dead connection usually means a database restart killed the idle ones too.
        with self._pool._lock:
            idle, self._pool._pool = self._pool._pool, []
        for conn in idle:
            conn.close()

    def close(self) -> None:
        self._pool.closeall()
