"""Concurrency claims, proven with real threads against the real service and PostgreSQL."""

import threading

import httpx
import pytest

from test.audit_invariants import assert_audit_invariants
from test.live_server import LiveServer


@pytest.fixture
def server(database_url):
    with LiveServer(database_url, db_threads=8) as live:
        yield live


def run_threads(count: int, target) -> None:
    barrier = threading.Barrier(count)
    threads = [threading.Thread(target=target, args=(i, barrier)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)


def test_concurrent_updates_of_one_configuration_are_gapless(server, db):
    with httpx.Client(base_url=server.url, headers=server.headers) as client:
        app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        body = {"application_id": app_id, "name": "shared", "config": {"writer": -1}}
        config_id = client.post("/api/v1/configurations", json=body).json()["id"]
    statuses: list[int] = []

    def writer(i: int, barrier: threading.Barrier) -> None:
        with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
            barrier.wait()
            for n in range(5):
                update = {"name": "shared", "config": {"writer": i, "n": n}}
                statuses.append(client.put(f"/api/v1/configurations/{config_id}", json=update).status_code)

    run_threads(16, writer)
    assert statuses == [200] * 80
    with db.cursor() as cur:
        cur.execute(
            "SELECT version FROM config_events WHERE entity_id = %s ORDER BY version", (config_id,)
        )
        assert [r["version"] for r in cur.fetchall()] == list(range(1, 82))
    assert_audit_invariants(db)


def test_racing_creates_of_one_name_give_one_201_and_409s(server, db):
    statuses: list[int] = []

    def creator(i: int, barrier: threading.Barrier) -> None:
        with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
            barrier.wait()
            statuses.append(client.post("/api/v1/applications", json={"name": "contested"}).status_code)

    run_threads(10, creator)
    assert sorted(statuses) == [201] + [409] * 9
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM config_events WHERE entity_type = 'application'")
        assert cur.fetchone()["n"] == 1
    assert_audit_invariants(db)


def test_racing_writes_with_one_if_match_give_one_200_and_412s(server, db):
    with httpx.Client(base_url=server.url, headers=server.headers) as client:
        app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        body = {"application_id": app_id, "name": "guarded", "config": {"writer": -1}}
        created = client.post("/api/v1/configurations", json=body)
    config_id, tag = created.json()["id"], created.headers["etag"]
    statuses: list[int] = []

    def writer(i: int, barrier: threading.Barrier) -> None:
        with httpx.Client(base_url=server.url, headers=server.headers, timeout=30) as client:
            update = {"name": "guarded", "config": {"writer": i}}
            barrier.wait()
            response = client.put(f"/api/v1/configurations/{config_id}", json=update, headers={"If-Match": tag})
            statuses.append(response.status_code)

    run_threads(10, writer)
    assert sorted(statuses) == [200] + [412] * 9
    with db.cursor() as cur:
        cur.execute("SELECT version FROM config_events WHERE entity_id = %s ORDER BY version", (config_id,))
        assert [r["version"] for r in cur.fetchall()] == [1, 2]
    assert_audit_invariants(db)
