"""The async/sync seam: one executor hop runs a whole unit of work on a pooled connection."""

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from config_service.pool import ConnectionPool
from config_service.settings import Settings
from config_service.unit_of_work import UnitOfWork

T = TypeVar("T")


class Database:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pool = ConnectionPool(
            settings.database_url,
            settings.pool_min_size,
            settings.pool_max_size,
            connect_timeout=settings.db_connect_timeout,
            options=f"-c statement_timeout={settings.db_statement_timeout_ms}",
            application_name="config-service",
        )
        self.executor = ThreadPoolExecutor(settings.db_threads, thread_name_prefix="db")

    def unit_of_work(self, deadline: float) -> UnitOfWork:
        return UnitOfWork(self.pool, deadline)

    async def run(self, use_case: Callable[..., T], *args) -> T:
        """Run `use_case(uow, *args)` in a worker thread; the pool wait counts from now."""
        deadline = time.monotonic() + self.settings.db_pool_timeout
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, self._call, use_case, deadline, args)

    def _call(self, use_case: Callable[..., T], deadline: float, args: tuple) -> T:
        return use_case(self.unit_of_work(deadline), *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self.pool.close()
