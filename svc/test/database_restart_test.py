"""The service survives database restarts under load, and comes back by itself."""

import httpx
import pytest

from test.audit_invariants import assert_audit_invariants
from test.live_server import LiveServer
from test.load import WriteLoad

import psycopg2
from psycopg2.extras import RealDictCursor

POOL_TIMEOUT, STATEMENT_TIMEOUT_MS, CONNECT_TIMEOUT = 2, 2000, 2
SLOWEST_ALLOWED = POOL_TIMEOUT + STATEMENT_TIMEOUT_MS / 1000 + CONNECT_TIMEOUT + 1


def seed_configurations(url: str, count: int, headers: dict) -> list[str]:
    ids = []
    with httpx.Client(base_url=url, headers=headers) as client:
        app_id = client.post("/api/v1/applications", json={"name": "seed"}).json()["id"]
        for i in range(count):
            body = {"application_id": app_id, "name": f"conf-{i}", "config": {}}
            ids.append(client.post("/api/v1/configurations", json=body).json()["id"])
    return ids


def acknowledged_writes_are_stored(conn, load: WriteLoad) -> None:
    created = {o.marker for o in load.outcomes if o.kind == "create" and o.status == 201}
    updated = {o.marker for o in load.outcomes if o.kind == "update" and o.status == 200}
    with conn.cursor() as cur:
        cur.execute(
            "SELECT a.name FROM applications a JOIN config_events e"
            " ON e.entity_id = a.id AND e.version = 1 WHERE a.name = ANY(%s)",
            (list(created),),
        )
        assert {r["name"] for r in cur.fetchall()} == created
        cur.execute(
            "SELECT after -> 'config' ->> 'marker' AS marker FROM config_events"
            " WHERE entity_type = 'configuration' AND after -> 'config' ->> 'marker' = ANY(%s)",
            (list(updated),),
        )
        assert {r["marker"] for r in cur.fetchall()} == updated


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_database_restart_under_load(controlled_postgres, mode):
    settings = dict(
        db_threads=4,
        db_pool_timeout=POOL_TIMEOUT,
        db_statement_timeout_ms=STATEMENT_TIMEOUT_MS,
        db_connect_timeout=CONNECT_TIMEOUT,
    )
    with LiveServer(controlled_postgres.url, **settings) as live:
        load = WriteLoad(live.url, seed_configurations(live.url, 4, live.headers), live.headers).start()
        try:
            load.wait_for(lambda l: l.successes() >= 40, timeout=30)
            controlled_postgres.stop(mode)
            load.wait_for(lambda l: l.count(503) >= 20, timeout=30)
            assert httpx.get(live.url + "/ready").status_code == 503
            assert httpx.get(live.url + "/health").status_code == 200
            before_restart = load.successes()
            controlled_postgres.start()
            load.wait_for(lambda l: l.successes() >= before_restart + 40, timeout=30)
        finally:
            load.stop()
        assert httpx.get(live.url + "/ready").status_code == 200
        server_log = live.output()

    statuses = {o.status for o in load.outcomes}
    assert statuses <= {200, 201, 503}, server_log
    assert all("detail" in o.body for o in load.outcomes if o.status == 503)
    assert max(o.seconds for o in load.outcomes) < SLOWEST_ALLOWED
    conn = psycopg2.connect(controlled_postgres.url, cursor_factory=RealDictCursor)
    try:
        acknowledged_writes_are_stored(conn, load)
        assert_audit_invariants(conn)
    finally:
        conn.close()
