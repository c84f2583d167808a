import asyncio
import threading

import pytest

from config_service.db.database import Database
from config_service.errors import DatabaseBusy


def test_run_executes_the_whole_use_case_on_one_worker_thread(settings):
    database = Database(settings)
    seen = []

    def use_case(uow, value):
        seen.append(threading.current_thread().name)
        with uow:
            uow.applications.list_json()
        return value * 2

    try:
        assert asyncio.run(database.run(use_case, 21)) == 42
        assert seen[0].startswith("db") and seen[0] != threading.main_thread().name
    finally:
        database.close()


def test_waiting_for_a_connection_is_bounded(settings):
    database = Database(settings.model_copy(update={"db_threads": 2, "db_pool_max_size": 1, "db_pool_timeout": 0.2}))
    held = database.pool.acquire(deadline=float("inf"))

    def use_case(uow):
        with uow:
            return "never"

    try:
        with pytest.raises(DatabaseBusy):
            asyncio.run(database.run(use_case))
    finally:
        database.pool.release(held)
        database.close()


def test_work_still_queued_at_the_deadline_is_cancelled_not_run(settings):
    database = Database(settings.model_copy(update={"db_threads": 1, "db_pool_timeout": 0.2}))
    started, release = threading.Event(), threading.Event()
    ran = []

    def blocker(uow):
        started.set()
        release.wait(5)

    def queued(uow):
        ran.append(True)

    async def scenario():
        first = asyncio.ensure_future(database.run(blocker))
        await asyncio.to_thread(started.wait, 5)  # the only worker is now busy
        with pytest.raises(DatabaseBusy, match="worker"):
            await database.run(queued)
        release.set()
        await first

    try:
        asyncio.run(scenario())
        assert ran == []
    finally:
        database.close()
