"""One pooled connection, the repositories bound to it, driver errors translated."""

import logging

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.db import driver_errors as db_errors
from config_service.db.pool import ConnectionPool
from config_service.db.prepared import PreparingCursorMixin
from config_service.errors import DatabaseUnavailable
from config_service.repositories.applications import ApplicationsRepository, ListCache
from config_service.repositories.audit_log import AuditLogRepository
from config_service.repositories.configurations import ConfigurationsRepository
from config_service.repositories.events import APPENDS
from config_service.repositories.feed import FeedRepository
from config_service.repositories.history import HistoryRepository
from config_service.repositories.schema import SchemaRepository
from config_service.repositories.tokens import TokensRepository

log = logging.getLogger(__name__)
# Sends the hints of the events this session's statements committed (migration 0014).
ANNOUNCE = "SELECT config_events_announce()"


class Cursor(PreparingCursorMixin, RealDictCursor):
    """Rows as dicts; `run` executes a prepared statement; `appended` tells whether a
    statement appended events (whose hints then wait to be announced)."""

    appended = False

    def run(self, statement, params: dict) -> None:
        self.appended = self.appended or APPENDS in statement.sql
        super().run(statement, params)

    def execute(self, query, vars=None) -> None:
        self.appended = self.appended or (isinstance(query, str) and APPENDS in query)
        super().execute(query, vars)


class UnitOfWork:
    """`with uow:` checks out a connection and binds the repositories to one cursor;
    leaving the block always returns the connection. Driver errors leave the block
    translated into domain errors.

    Each write is one statement that changes the row and appends its event (see the
    repositories). PostgreSQL runs a single statement as one transaction, so the row and
    its event commit together or not at all, in one round trip, with no BEGIN or COMMIT
    to send; the database's deferred audit check runs at that commit.

    Leaving the block after a write announces its events to the change feed's listeners
    (one more round trip, after the commit: see migration 0014). A failure there is logged,
    never raised: the write has committed.
    """

    def __init__(self, pool: ConnectionPool, deadline: float, list_cache: ListCache | None = None) -> None:
        self._pool = pool
        self._deadline = deadline
        self._list_cache = list_cache
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
        if self._cursor.appended and not broken:
            broken = not self._announce()
        try:
            self._cursor.close()
        finally:
            self._pool.release(self._conn, broken=broken)
            self._conn = None
        if isinstance(exc, psycopg2.Error):
            translated = DatabaseUnavailable() if broken else db_errors.translate(exc)
            if translated is not None:
                raise translated from exc

    def _announce(self) -> bool:
        """Send the hints of what committed (none after a failed write: its rollback dropped
        them); False when the connection turned out broken."""
        try:
            self._cursor.execute(ANNOUNCE)
        except psycopg2.Error as error:
            # Waiting readers then learn of these events at the next announcement or when
            # their wait ends; token caches at their entries' expiry.
            log.warning("change feed: committed events not announced (%s)", str(error).strip().splitlines()[0])
            return not (db_errors.is_connection_error(error) or self._conn.closed)
        return True
