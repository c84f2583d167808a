import asyncio
import logging

import psycopg2
import uvloop

from config_service.db import local_postgres
from config_service.db.announcer import AFTER_COMMIT
from config_service.db.listener import HEAD, ChangeListener, Watch
from test.sql_writes import insert_application


def test_a_watch_remembers_a_match_until_waited_for():
    async def scenario():
        watch = Watch(lambda hint: hint.get("entity_id") == "X")
        watch.notify({"entity_id": "Y"})
        assert not await watch.wait(0.01)
        watch.notify({"entity_id": "X"})
        notified = watch.woken_at
        assert await watch.wait(0.01) == notified > 0  # set before the wait: not missed, and when
        assert not await watch.wait(0.01)  # re-armed
        watch.notify(None)  # "anything may have happened"
        assert await watch.wait(0.01)

    asyncio.run(scenario())


def test_a_watch_keeps_the_announced_events_still_past_the_reader():
    watch = Watch(lambda hint: hint.get("entity_id") == "X")
    for seq in (1, 2, 3):
        watch.notify({"entity_id": "X", "txid": 10, "seq": seq})
    watch.notify({"entity_id": "Y", "txid": 10, "seq": 4})  # not matching: not kept
    watch.notify({"entity_id": "X"})  # says nothing of its position
    assert watch.announced_past(lambda txid, seq: seq > 2)
    assert not watch.announced_past(lambda txid, seq: seq > 3)
    assert not watch.announced_past(lambda txid, seq: True)  # forgotten once behind the reader


def notify(database_url: str, payload: str) -> None:
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT pg_notify('config_events', %s)", (payload,))
    conn.close()


def test_notifications_wake_matching_watches(database_url):
    async def scenario():
        listener = ChangeListener(database_url, connect_timeout=2)
        listener.start()
        try:
            with listener.watch(lambda hint: hint.get("entity_id") == "X") as watch:
                while not listener.connected:
                    await asyncio.sleep(0.01)  # polling for the connection, not a result
                await watch.wait(0.01)  # the wake-up every watch gets on connecting
                await asyncio.to_thread(notify, database_url, '{"entity_id": "Y"}')
                assert not await watch.wait(0.3)
                await asyncio.to_thread(notify, database_url, "not json")
                assert await watch.wait(5)
                await asyncio.to_thread(notify, database_url, '{"entity_id": "X"}')
                assert await watch.wait(5)
                assert listener.head == (0, 0) and listener.nothing_past(0, 0)  # an empty log, nothing announced
                await asyncio.to_thread(notify, database_url, '{"entity_id": "X", "txid": 900, "seq": 5}')
                assert await watch.wait(5)
                assert listener.head == (900, 5) and not listener.nothing_past(900, 4)
                assert listener.nothing_past(900, 5) and listener.nothing_past(901, 1)
                assert watch.announced_past(lambda txid, seq: True)
            assert listener._watches == set()
        finally:
            await listener.close()

    asyncio.run(scenario())


def test_an_unreachable_database_is_retried_without_failing(tmp_path):
    async def scenario():
        listener = ChangeListener(f"postgresql://postgres@/postgres?host={tmp_path}", 1, retry_seconds=0.01)
        listener.start()
        with listener.watch(lambda hint: True) as watch:
            assert not await watch.wait(0.2)
        assert not listener.connected and not listener.nothing_past(10**9, 0)
        await listener.close()

    asyncio.run(scenario())


def terminate_listener(database_url: str) -> None:
    local_postgres.execute(database_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                         " WHERE application_name = 'config-service-listen'")


async def _until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.01)  # polling for the listener's state, not a result


def test_a_lost_connection_is_replaced_and_relays_again(database_url):
    async def scenario():
        listener = ChangeListener(database_url, connect_timeout=2, retry_seconds=0.01)
        listener.start()
        try:
            with listener.watch(lambda hint: hint.get("entity_id") == "X") as watch:
                await asyncio.wait_for(_until(lambda: listener.connected), 5)
                for _ in range(2):  # twice: the first replacement must itself be replaceable
                    await asyncio.to_thread(terminate_listener, database_url)
                    await asyncio.wait_for(_until(lambda: not listener.connected), 5)
                    await asyncio.wait_for(_until(lambda: listener.connected), 5)
                await watch.wait(0.01)  # the wake-up every watch gets on connecting
                await asyncio.to_thread(notify, database_url, '{"entity_id": "X", "txid": 3, "seq": 7}')
                assert await watch.wait(5) and listener.head == (3, 7)
            assert not listener._task.done()
        finally:
            await listener.close()

    uvloop.run(scenario())


def write_unannounced(database_url: str, app_id: str) -> None:
    """As the service's sessions write: the event's hint left for an announcement that
    here never comes (a worker killed between the commit and the announcement)."""
    conn = psycopg2.connect(database_url, options=AFTER_COMMIT)
    conn.autocommit = True
    try:
        insert_application(conn, app_id, f"never-announced-{app_id}")
    finally:
        conn.close()


def table_head(database_url: str) -> tuple[int, int]:
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cur:
            cur.execute(HEAD)
            return cur.fetchone()
    finally:
        conn.close()


def test_an_event_left_unannounced_is_found_and_wakes_every_watch(database_url, caplog):
    async def scenario():
        listener = ChangeListener(database_url, connect_timeout=2, head_check_seconds=0.05)
        listener.start()
        try:
            with listener.watch(lambda hint: False) as watch:  # only "anything may have happened" wakes it
                await asyncio.wait_for(_until(lambda: listener.connected), 5)
                await watch.wait(0.01)  # the wake-up every watch gets on connecting
                await asyncio.to_thread(notify, database_url, '{"entity_id": "X"}')  # announced: no match
                await asyncio.to_thread(write_unannounced, database_url, "01ARZ3NDEKTSV4RRFFQ69G5FAV")
                assert listener.nothing_past(*listener.head)
                assert await watch.wait(5)
                assert listener.head == await asyncio.to_thread(table_head, database_url)
            assert not listener._task.done()
        finally:
            await listener.close()

    with caplog.at_level(logging.WARNING, logger="config_service.db.listener"):
        asyncio.run(scenario())
    assert "an event was committed without its announcement" in caplog.text


def test_an_event_whose_hint_is_on_its_way_is_not_taken_for_lost(database_url, caplog):
    async def scenario():
        listener = ChangeListener(database_url, connect_timeout=2, head_check_seconds=1.0)
        listener.start()
        try:
            await asyncio.wait_for(_until(lambda: listener.connected), 5)
            for n in range(2):  # each found by a check, then announced before the next one
                app_id = f"01ARZ3NDEKTSV4RRFFQ69G5FA{n}"
                await asyncio.to_thread(write_unannounced, database_url, app_id)
                txid, seq = await asyncio.to_thread(table_head, database_url)
                checks = listener.head_checks
                await asyncio.wait_for(_until(lambda: listener.head_checks > checks), 5)
                await asyncio.to_thread(notify, database_url, f'{{"entity_id": "{app_id}", "txid": {txid}, "seq": {seq}}}')
                await asyncio.wait_for(_until(lambda: listener.head == (txid, seq)), 5)
        finally:
            await listener.close()

    with caplog.at_level(logging.WARNING, logger="config_service.db.listener"):
        asyncio.run(scenario())
    assert "without its announcement" not in caplog.text
