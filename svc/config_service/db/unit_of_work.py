"""One pooled connection, one transaction, the repositories bound to it."""

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.db import driver_errors as db_errors
from config_service.errors import DatabaseUnavailable
from config_service.db.pool import ConnectionPool
from config_service.repositories.applications import ApplicationsRepository, ListCache
from config_service.repositories.configurations import ConfigurationsRepository
from config_service.repositories.events import EventsRepository
from config_service.repositories.feed import FeedRepository
from config_service.repositories.history import HistoryRepository
from config_service.repositories.schema import SchemaRepository


class BatchingCursor(RealDictCursor):
    """Sends a pending prefix (BEGIN) with the next statement: one round trip, not two."""

    prefix: str | None = None

    def execute(self, query, vars=None):
        if self.prefix is not None:
            prefix = self.prefix.encode() if isinstance(query, bytes) else self.prefix
            query, self.prefix = prefix + query, None
        return super().execute(query, vars)


class UnitOfWork:
    """`with uow:` checks out a connection; `begin()` opens a transaction that only
    an explicit `commit()` keeps; leaving the block rolls back whatever was not
    committed and always returns the connection. Reads need no transaction.
    Driver errors leave the block translated into domain errors.

    Round trips are batched: BEGIN goes with the first statement, and queued
    statements (events, an application's INSERT) go with COMMIT, so an application's
    create costs one round trip, a configuration's two and an update three.
    """

    def __init__(self, pool: ConnectionPool, deadline: float, list_cache: ListCache | None = None) -> None:
        self._pool = pool
        self._deadline = deadline
        self._list_cache = list_cache
        self._conn = None
        self._in_transaction = False

    def __enter__(self) -> "UnitOfWork":
        self._conn = self._pool.acquire(self._deadline)
        self._cursor = self._conn.cursor(cursor_factory=BatchingCursor)
        self._queued: list[bytes] = []
        self.applications = ApplicationsRepository(self._cursor, self._list_cache, self._queued)
        self.configurations = ConfigurationsRepository(self._cursor)
        self.events = EventsRepository(self._cursor, self._queued)
        self.history = HistoryRepository(self._cursor)
        self.feed = FeedRepository(self._cursor)
        self.schema = SchemaRepository(self._cursor)
        return self

    def begin(self) -> None:
        self._cursor.prefix = "BEGIN;"
        self._in_transaction = True

    def commit(self) -> None:
        self._cursor.execute(b"".join(self._queued) + b"COMMIT")
        self._queued.clear()
        self._in_transaction = False

    def __exit__(self, exc_type, exc, tb) -> None:
        # libpq sometimes reports a lost server as a bare DatabaseError: trust `closed`.
        broken = db_errors.is_connection_error(exc) or bool(self._conn.closed)
        try:
            begun = self._in_transaction and self._cursor.prefix is None
            if begun and not broken:
                self._cursor.execute("ROLLBACK")
        except psycopg2.Error:
            broken = True
        finally:
            self._in_transaction = False
            self._cursor.close()
            self._pool.release(self._conn, broken=broken)
            self._conn = None
        if isinstance(exc, psycopg2.Error):
            translated = DatabaseUnavailable() if broken else db_errors.translate(exc)
            if translated is not None:
                raise translated from exc
