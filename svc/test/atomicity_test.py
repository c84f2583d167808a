"""A write and its event commit together or not at all."""

import pytest
from fastapi.testclient import TestClient

from config_service.main import create_app
from test.audit_invariants import assert_audit_invariants, counts

FAIL_EVENT_INSERTS = """
CREATE FUNCTION test_fail_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'injected failure while appending the event'; END; $$;
CREATE TRIGGER test_fail_event BEFORE INSERT ON config_events
    FOR EACH ROW EXECUTE FUNCTION test_fail_event();
"""


@pytest.fixture
def client(settings, client_token):
    headers = {"Authorization": f"Bearer {client_token['token']}"}
    with TestClient(create_app(settings), raise_server_exceptions=False, headers=headers) as test_client:
        yield test_client


def test_failed_event_append_leaves_the_entity_unchanged(client, db):
    app = client.post("/api/v1/applications", json={"name": "before"}).json()
    body = {"application_id": app["id"], "name": "conf", "config": {"v": 1}}
    conf = client.post("/api/v1/configurations", json=body).json()
    db.cursor().execute(FAIL_EVENT_INSERTS)

    responses = [
        client.post("/api/v1/applications", json={"name": "new"}),
        client.put(f"/api/v1/applications/{app['id']}", json={"name": "after"}),
        client.post("/api/v1/configurations", json={**body, "name": "other"}),
        client.put(f"/api/v1/configurations/{conf['id']}", json={"name": "conf", "config": {"v": 2}}),
    ]
    for response in responses:
        assert response.status_code == 500
        assert response.json() == {"detail": "Internal server error."}
    assert counts(db) == (1, 1, 2)
    assert client.get(f"/api/v1/applications/{app['id']}").json()["name"] == "before"
    assert client.get(f"/api/v1/configurations/{conf['id']}").json()["config"] == {"v": 1}

    db.cursor().execute("DROP TRIGGER test_fail_event ON config_events")
    assert client.put(f"/api/v1/applications/{app['id']}", json={"name": "after"}).status_code == 200
    assert_audit_invariants(db)
