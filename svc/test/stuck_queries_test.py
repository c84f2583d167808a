"""A locked row and a small pool: requests wait a bounded time, get 503, then recover."""

import threading
import time

import httpx
import psycopg2

from test.audit_invariants import assert_audit_invariants, counts
from test.live_server import LiveServer

POOL_TIMEOUT, STATEMENT_TIMEOUT = 1.0, 1.5


def test_stuck_row_lock_gives_bounded_503s_then_recovers(database_url, db):
    settings = dict(db_threads=2, db_pool_timeout=POOL_TIMEOUT, db_statement_timeout_ms=int(STATEMENT_TIMEOUT * 1000))
    with LiveServer(database_url, **settings) as live, httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as client:
        app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        body = {"application_id": app_id, "name": "c", "config": {"v": 0}}
        config_id = client.post("/api/v1/configurations", json=body).json()["id"]
        before = counts(db)

        holder = psycopg2.connect(database_url)
        holder.cursor().execute("SELECT 1 FROM configurations WHERE id = %s FOR UPDATE", (config_id,))
        results: list[tuple[int, float, str]] = []
        barrier = threading.Barrier(6)

        def update(i: int) -> None:
            with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as own:
                barrier.wait()
                started = time.monotonic()
                response = own.put(f"/api/v1/configurations/{config_id}", json={"name": "c", "config": {"v": i}})
                results.append((response.status_code, time.monotonic() - started, response.json()["detail"]))

        threads = [threading.Thread(target=update, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        holder.rollback()
        holder.close()

        assert [status for status, _, _ in results] == [503] * 6
        assert max(seconds for _, seconds, _ in results) < STATEMENT_TIMEOUT + 1.0
        details = {detail for _, _, detail in results}
        assert any("did not answer in time" in d for d in details)  # statement timeout
        assert any("became free in time" in d for d in details)  # waited for the pool
        assert counts(db) == before

        response = client.put(f"/api/v1/configurations/{config_id}", json={"name": "c", "config": {"v": "after"}})
        assert response.status_code == 200
        assert client.get(f"/api/v1/configurations/{config_id}").json()["config"] == {"v": "after"}
    assert_audit_invariants(db)
