"""Helpers for tests that drive repositories through a real unit of work."""

import time
from contextlib import contextmanager

from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork


@contextmanager
def pool_for(database_url: str, size: int = 2):
    pool = ConnectionPool(database_url, size, size)
    try:
        yield pool
    finally:
        pool.close()


def unit_of_work(pool: ConnectionPool) -> UnitOfWork:
    return UnitOfWork(pool, time.monotonic() + 5)
