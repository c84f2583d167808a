"""The change feed against the real PostgreSQL: exactly once, never early, each entity in
version order, also when transactions commit out of seq order."""

import threading
import time

import httpx
import psycopg2
import pytest

from fastapi.testclient import TestClient

from config_service.main import create_app
from test.live_server import LiveServer
from test.polling import wait_until
from test.sql_writes import insert_application

A, B = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2"


def follow(client, cursor=None) -> tuple[list[dict], str]:
    """Every event past the cursor, following `next`; and the last cursor."""
    items = []
    while True:
        params = {"limit": 1} | ({"after": cursor} if cursor else {})
        page = client.get("/api/v1/events", params=params).json()
        if not page["items"]:
            return items, page["next"]
        items += page["items"]
        cursor = page["next"]


@pytest.mark.parametrize("a_commits", [True, False])
@pytest.mark.parametrize("a_appends_first", [True, False])
def test_an_event_committed_later_is_neither_skipped_nor_shown_early(client, db, database_url, a_commits,
                                                                       a_appends_first):
    """Transaction A begins first and stays open; B appends and commits. A's event may
    come before or after B's in seq, and A commits or rolls back."""
    a = psycopg2.connect(database_url)
    a.cursor().execute("SELECT pg_current_xact_id()")  # A is running from here
    if a_appends_first:
        insert_application(a, A, "a")
    insert_application(db, B, "b")  # B commits
    try:
        seen, cursor = follow(client)
        assert seen == []  # B waits behind A, which could still append (or already has)
        if not a_appends_first:
            insert_application(a, A, "a")
        a.commit() if a_commits else a.rollback()
        later, _ = follow(client, cursor)
        assert [e["entity_id"] for e in later] == ([A, B] if a_commits else [B])
    finally:
        a.close()


def test_a_follower_gets_every_event_of_many_writers_exactly_once(database_url, db, service_database_url):
    live_server = LiveServer(service_database_url, migration_database_url=database_url, db_threads=4)
    with live_server as live, httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as client:
        app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        configs = [client.post("/api/v1/configurations", json={"application_id": app_id, "name": f"c{i}",
                                                              "config": {}}).json()["id"] for i in range(4)]
        done = threading.Event()
        received: list[dict] = []

        def writer(config_id: str) -> None:
            with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as own:
                for n in range(25):
                    body = {"name": config_id[-4:], "config": {"n": n}}
                    assert own.put(f"/api/v1/configurations/{config_id}", json=body).status_code == 200

        def follower() -> None:
            cursor = None
            with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as own:
                while True:
                    finished = done.is_set()
                    params = {"limit": 7, "wait": 0.2} | ({"after": cursor} if cursor else {})
                    page = own.get("/api/v1/events", params=params).json()
                    received.extend(page["items"])
                    cursor = page["next"]
                    if finished and not page["items"]:
                        return

        threads = [threading.Thread(target=writer, args=(c,)) for c in configs]
        following = threading.Thread(target=follower)
        following.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        done.set()
        following.join(60)
    with db.cursor() as cur:
        cur.execute("SELECT seq FROM config_events WHERE entity_type <> 'token' ORDER BY seq")
        committed = [r["seq"] for r in cur.fetchall()]
    # Each once (in (transaction, seq) order, which need not be seq order).
    assert sorted(e["seq"] for e in received) == committed and len(committed) == len(received) == 1 + 4 + 100
    for config_id in configs:
        assert [e["version"] for e in received if e["entity_id"] == config_id] == list(range(1, 27))


def test_waiting_requests_hold_no_pooled_connection(settings, client_token):
    small_pool = settings.model_copy(update={"db_threads": 2, "db_pool_timeout": 2})
    with TestClient(create_app(small_pool), headers={"Authorization": f"Bearer {client_token['token']}"}) as client:
        app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        head = client.get("/api/v1/events", params={"after": "now"}).json()["next"]
        answers: list[dict] = []

        def waiter() -> None:
            answers.append(client.get("/api/v1/events", params={"after": head, "wait": 20}).json())

        waiters = [threading.Thread(target=waiter) for _ in range(12)]  # six times the pool
        for thread in waiters:
            thread.start()
        wait_until(lambda: len(client.app.state.listener._watches) == 12)
        started = time.monotonic()
        assert client.put(f"/api/v1/applications/{app_id}", json={"name": "b"}).status_code == 200
        assert time.monotonic() - started < 2  # served while 12 requests wait
        for thread in waiters:
            thread.join(30)
    assert len(answers) == 12 and all([e["version"] for e in a["items"]] == [2] for a in answers)
