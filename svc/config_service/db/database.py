"""The async/sync seam: one executor hop runs a whole unit of work on a pooled connection."""

import asyncio
import contextvars
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from config_service.db.announcer import AFTER_COMMIT, Announcer
from config_service.db.pool import ConnectionPool
from config_service.db.readiness import ReadinessProbe
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import DatabaseBusy
from config_service.repositories.applications import ListCache
from config_service.settings import Settings

T = TypeVar("T")
log = logging.getLogger(__name__)


class Database:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = ConnectionPool(
            settings.database_url,
            settings.pool_min_size,
            settings.pool_max_size,
            connect_timeout=settings.db_connect_timeout,
            # The unit of work hands its events' hints to the announcer.
            options=f"-c statement_timeout={settings.db_statement_timeout_ms} {AFTER_COMMIT}",
            application_name="config-service",
        )
        self.announcer = Announcer(settings.database_url, settings.db_connect_timeout)
        self.executor = ThreadPoolExecutor(settings.executor_threads, thread_name_prefix="db")
        self.list_cache = ListCache()
        self.readiness = ReadinessProbe(
            settings.database_url, settings.db_connect_timeout, settings.db_statement_timeout_ms
        )

    def unit_of_work(self, deadline: float) -> UnitOfWork:
        return UnitOfWork(self.pool, deadline, self.list_cache, self.announcer)

    async def run(self, use_case: Callable[..., T], *args) -> T:
        """Run `use_case(uow, *args)` in a worker thread.

        The wait for a thread and a connection together is bounded by DB_POOL_TIMEOUT,
        counted from now. Work still queued then is cancelled (503); work that has
        started is never abandoned, so a 503 never hides a write that went on to commit.
        """
        timeout = self.settings.db_pool_timeout
        # The context travels with the work so the worker's log lines carry the request id.
        context = contextvars.copy_context()
        future = self.executor.submit(context.run, self._call, use_case, time.monotonic() + timeout, args)
        timer = asyncio.get_running_loop().call_later(timeout, future.cancel)
        try:
            return await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            if future.cancelled() and not asyncio.current_task().cancelling():
                raise DatabaseBusy("No database worker became free in time; try again shortly.") from None
            raise
        finally:
            timer.cancel()

    def _call(self, use_case: Callable[..., T], deadline: float, args: tuple) -> T:
        return use_case(self.unit_of_work(deadline), *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self.announcer.close()
        self.pool.close()
        self.readiness.close()
        log.info("database pool closed")
