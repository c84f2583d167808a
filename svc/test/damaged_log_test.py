"""A log damaged by hand (as an owner or superuser could) never turns API writes into 500s."""

from test.audit_invariants import counts

FORGED = """
SET session_replication_role = replica;
INSERT INTO config_events (seq, id, occurred_at, entity_type, entity_id, application_id, action, version,
                           before, after, changed_fields, request_id, hash)
OVERRIDING SYSTEM VALUE
VALUES (-5, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '2001-01-01T00:00:00Z', 'application', %(id)s, %(id)s, 'updated', 2,
        '{}', '{}', '{}', 'forged', 'x');
SET session_replication_role = origin;
"""


def test_a_forged_event_makes_writes_409_not_500(client, db):
    app_id = client.post("/api/v1/applications", json={"name": "a"}).json()["id"]
    db.cursor().execute(FORGED, {"id": app_id})
    before = counts(db)
    for method, path, body in (("PUT", "", {"name": "b"}), ("POST", "/revert", {"version": 1})):
        response = client.request(method, f"/api/v1/applications/{app_id}{path}", json=body)
        assert response.status_code == 409, response.text
        assert "history is inconsistent" in response.json()["detail"]
    assert counts(db) == before
