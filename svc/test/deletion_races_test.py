"""Races of API.md §12 with threads against the real service and database: a configuration
created while its application is deleted, concurrent deletes of one entity, and a cascade
over 1,000 configurations."""

import threading

import httpx
import pytest

from config_service.ids import new_id
from test.audit_invariants import assert_audit_invariants
from test.live_server import LiveServer
from test.sql_writes import insert_configuration


@pytest.fixture
def live(database_url):
    with LiveServer(database_url, db_threads=8) as server:
        yield server


def race(*calls) -> list:
    """Run the calls at once (released by one barrier); their results in order."""
    results: list = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int, call) -> None:
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_configuration_created_while_its_application_is_deleted(live, db):
    outcomes = set()
    with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as http:
        for round in range(30):
            app_id = http.post("/api/v1/applications", json={"name": f"app-{round}"}).json()["id"]
            body = {"application_id": app_id, "name": "c", "config": {}}
            create, delete = race(lambda: http.post("/api/v1/configurations", json=body),
                                  lambda: http.delete(f"/api/v1/applications/{app_id}"))
            pair = (create.status_code, delete.status_code)
            assert pair in ((201, 409), (422, 204)), (pair, create.text, delete.text)
            outcomes.add(pair)
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM configurations c JOIN applications a ON a.id = c.application_id"
                    " WHERE a.deleted AND NOT c.deleted")
        assert cur.fetchone()["n"] == 0  # never a live configuration in a deleted application
    assert_audit_invariants(db)


def test_concurrent_deletes_of_one_entity_give_one_204(live, db):
    with httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as http:
        app_id = http.post("/api/v1/applications", json={"name": "app"}).json()["id"]
        body = {"application_id": app_id, "name": "c", "config": {}}
        created = http.post("/api/v1/configurations", json=body)
        path, tag = f"/api/v1/configurations/{created.json()['id']}", created.headers["etag"]
        statuses = [r.status_code for r in race(*[lambda: http.delete(path, headers={"If-Match": tag})] * 8)]
        assert statuses.count(204) == 1 and set(statuses) <= {204, 410, 412}, statuses
        statuses = [r.status_code for r in race(*[lambda: http.delete(f"/api/v1/applications/{app_id}")] * 8)]
        assert statuses.count(204) == 1 and set(statuses) <= {204, 410}, statuses
    assert_audit_invariants(db)


def test_a_cascade_over_a_thousand_configurations_is_one_quick_transaction(database_url, db):
    # A fifth of the default statement timeout: a cascade slower than that would be a 503.
    with LiveServer(database_url, db_statement_timeout_ms=1000) as live, \
            httpx.Client(base_url=live.url, headers=live.headers, timeout=30) as http:
        app_id = http.post("/api/v1/applications", json={"name": "big"}).json()["id"]
        for i in range(1000):  # arranged with the service's own statement
            insert_configuration(db, new_id(), app_id, f"c{i}")
        response = http.delete(f"/api/v1/applications/{app_id}?cascade=true")
    assert response.status_code == 204, response.text
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n, count(DISTINCT txid) AS t FROM config_events WHERE action = 'deleted'")
        row = cur.fetchone()
    assert (row["n"], row["t"]) == (1001, 1)
    assert_audit_invariants(db)
