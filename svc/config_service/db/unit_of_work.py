"""One pooled connection, the repositories bound to it, driver errors translated."""

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.db import driver_errors as db_errors
from config_service.db.announcer import Announcer
from config_service.db.pool import ConnectionPool
from config_service.db.prepared import PreparingCursorMixin
from config_service.errors import DatabaseUnavailable
from config_service.repositories.applications import ApplicationsRepository, ListCache
from config_service.repositories.audit_log import AuditLogRepository
from config_service.repositories.configurations import ConfigurationsRepository
from config_service.repositories.feed import FeedRepository
from config_service.repositories.history import HistoryRepository
from config_service.repositories.schema import SchemaRepository
from config_service.repositories.tokens import TokensRepository


class Cursor(PreparingCursorMixin, RealDictCursor):
    """Rows as dicts; `run` executes a prepared statement. A row's `hints` (the change
    feed's hints of the events its statement appended and committed) are taken out of it
    and kept in `hints`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hints: list[str] = []

    def fetchone(self):
        row = super().fetchone()
        if row is not None and "hints" in row:
            self.hints.extend(row.pop("hints") or ())
        return row


class UnitOfWork:
    """`with uow:` checks out a connection and binds the repositories to one cursor;
    leaving the block always returns the connection. Driver errors leave the block
    translated into domain errors.

    Each write is one statement that changes the row and appends its event (see the
    repositories). PostgreSQL runs a single statement as one transaction, so the row and
    its event commit together or not at all, in one round trip, with no BEGIN or COMMIT
    to send; the database's deferred audit check runs at that commit.

    Leaving the block hands the hints of the events its writes committed to `announcer`
    (on a pool whose sessions announce after the commit: see db/announcer.py).
    """

    def __init__(self, pool: ConnectionPool, deadline: float, list_cache: ListCache | None = None,
                 announcer: Announcer | None = None) -> None:
        self._pool = pool
        self._deadline = deadline
        self._list_cache = list_cache
        self._announcer = announcer
        self._conn = None

    def __enter__(self) -> "UnitOfWork":
        self._conn = self._pool.acquire(self._deadline)
        self._cursor = self._conn.cursor(cursor_factory=Cursor)
        self.applications = ApplicationsRepository(self._cursor, self._list_cache)
        self.audit_log = AuditLogRepository(self._cursor)
        self.configurations = ConfigurationsRepository(self._cursor)
        self.history = HistoryRepository(self._cursor)
        self.feed = FeedRepository(self._cursor)
        self.schema = SchemaRepository(self._cursor)
        self.tokens = TokensRepository(self._cursor)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        # libpq sometimes reports a lost server as a bare DatabaseError: trust `closed`.
        broken = db_errors.is_connection_error(exc) or bool(self._conn.closed)
        try:
            try:
                self._cursor.close()
            finally:
                self._pool.release(self._conn, broken=broken)
                self._conn = None
        finally:
            if self._announcer is not None and self._cursor.hints:
                self._announcer.announce(self._cursor.hints)
        if isinstance(exc, psycopg2.Error):
            translated = DatabaseUnavailable() if broken else db_errors.translate(exc)
            if translated is not None:
                raise translated from exc
