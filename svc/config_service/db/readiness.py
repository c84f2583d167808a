"""Readiness from a connection of its own, outside the request pool.

A saturated pool must not make every instance report "not ready" at the same moment
(which would take the whole fleet out of a load balancer): the probe never queues
behind requests, only behind another probe.
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.errors import DatabaseUnavailable
from config_service.repositories.schema import SchemaRepository


class ReadinessProbe:
    def __init__(self, dsn: str, connect_timeout: int, statement_timeout_ms: int) -> None:
        self._connect_kwargs = {
            "dsn": dsn,
            "connect_timeout": connect_timeout,
            "options": f"-c statement_timeout={statement_timeout_ms}",
            "application_name": "config-service-ready",
        }
        self._lock = threading.Lock()
        self._conn = None
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="ready")

    async def applied_versions(self) -> set[int]:
        """The applied migration versions; DatabaseUnavailable when the database does not answer."""
        return await asyncio.wrap_future(self._executor.submit(self._applied_versions))

    def _applied_versions(self) -> set[int]:
        with self._lock:
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = psycopg2.connect(**self._connect_kwargs)
                    self._conn.autocommit = True
                with self._conn.cursor(cursor_factory=RealDictCursor) as cur:
                    return SchemaRepository(cur).applied_versions()
            except psycopg2.Error as exc:
                self._close()
                raise DatabaseUnavailable() from exc

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        with self._lock:
            self._close()
