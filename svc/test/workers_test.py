"""Two service processes, each with two uvicorn workers, on one database."""

import itertools
import threading

import httpx

from test.audit_invariants import assert_audit_invariants
from test.live_server import LiveServer


def test_updates_through_four_workers_stay_gapless(database_url, db):
    with LiveServer(database_url, web_concurrency=2, db_threads=4) as first, LiveServer(
        database_url, web_concurrency=2, db_threads=4
    ) as second:
        with httpx.Client(base_url=first.url) as client:
            app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
            body = {"application_id": app_id, "name": "shared", "config": {}}
            config_id = client.post("/api/v1/configurations", json=body).json()["id"]
        statuses: list[int] = []
        barrier = threading.Barrier(16)

        def writer(i: int) -> None:
            # Fresh connections spread the requests over both processes and their workers.
            urls = itertools.cycle([first.url, second.url])
            barrier.wait()
            for n in range(5):
                update = {"name": "shared", "config": {"writer": i, "n": n}}
                response = httpx.put(f"{next(urls)}/api/v1/configurations/{config_id}", json=update, timeout=30)
                statuses.append(response.status_code)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == [200] * 80
        for server in (first, second):
            code, output = server.terminate()
            assert code == 0, output
    with db.cursor() as cur:
        cur.execute("SELECT max(version) AS v, count(*) AS n FROM config_events WHERE entity_id = %s", (config_id,))
        assert cur.fetchone() == {"v": 81, "n": 81}
    assert_audit_invariants(db)
