import pytest

from test.audit_invariants import assert_audit_invariants, counts

MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def test_create_returns_201_location_and_writes_one_event(client, db):
    response = client.post("/api/v1/applications", json={"name": "billing"}, headers={"X-Actor": "ann"})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "name": "billing", "comments": None}
    assert response.headers["location"] == f"/api/v1/applications/{body['id']}"
    assert counts(db) == (1, 0, 1)
    with db.cursor() as cur:
        cur.execute("SELECT actor, request_id FROM config_events WHERE entity_type <> 'token'")
        event = cur.fetchone()
    assert event == {"actor": "ann", "request_id": response.headers["x-request-id"]}
    assert_audit_invariants(db)


def test_get_update_and_list(client, db):
    first = client.post("/api/v1/applications", json={"name": "a", "comments": ""}).json()
    second = client.post("/api/v1/applications", json={"name": "b"}).json()
    got = client.get(f"/api/v1/applications/{first['id'].lower()}")
    assert got.status_code == 200
    assert got.json() == {**first, "configuration_ids": []}
    updated = client.put(f"/api/v1/applications/{first['id']}", json={"name": "a2"})
    assert updated.status_code == 200
    assert updated.json() == {"id": first["id"], "name": "a2", "comments": None}
    listed = client.get("/api/v1/applications")
    assert listed.json() == [updated.json(), second]
    assert counts(db) == (2, 0, 3)
    assert_audit_invariants(db)


def test_no_op_update_is_still_an_event(client, db):
    app = client.post("/api/v1/applications", json={"name": "a"}).json()
    assert client.put(f"/api/v1/applications/{app['id']}", json={"name": "a"}).status_code == 200
    with db.cursor() as cur:
        cur.execute("SELECT version, changed_fields FROM config_events WHERE entity_type <> 'token' ORDER BY seq")
        assert [tuple(r.values()) for r in cur.fetchall()] == [(1, ["id", "name", "comments"]), (2, [])]


@pytest.mark.parametrize(
    "method, path, body, status",
    [
        ("get", f"/api/v1/applications/{MISSING}", None, 404),
        ("put", f"/api/v1/applications/{MISSING}", {"name": "x"}, 404),
        ("get", "/api/v1/applications/not-a-ulid", None, 422),
        ("put", "/api/v1/applications/not-a-ulid", {"name": "x"}, 422),
        ("post", "/api/v1/applications", {"name": ""}, 422),
        ("post", "/api/v1/applications", {"name": "x" * 257}, 422),
        ("post", "/api/v1/applications", {"name": "x", "comments": "c" * 1025}, 422),
        ("post", "/api/v1/applications", {"name": "x", "id": MISSING}, 422),
        ("post", "/api/v1/applications", {"name": "x", "configuration_ids": []}, 422),
        ("post", "/api/v1/applications", {"name": 1}, 422),
        ("post", "/api/v1/applications", {"name": "a\u0000"}, 422),
        ("post", "/api/v1/applications", ["name"], 422),
    ],
)
def test_errors_change_nothing(client, db, method, path, body, status):
    response = client.request(method, path, json=body)
    assert response.status_code == status
    assert "detail" in response.json()
    assert counts(db) == (0, 0, 0)


@pytest.mark.parametrize("raw", [b"{", b'{"name": "\xff"}', b'{"name": "a\\ud800"}', b""])
def test_bodies_that_are_not_json_are_422(client, db, raw):
    response = client.post("/api/v1/applications", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert counts(db) == (0, 0, 0)


def test_duplicate_name_is_409_on_create_and_update(client, db):
    client.post("/api/v1/applications", json={"name": "taken"})
    other = client.post("/api/v1/applications", json={"name": "free"}).json()
    assert client.post("/api/v1/applications", json={"name": "taken"}).status_code == 409
    response = client.put(f"/api/v1/applications/{other['id']}", json={"name": "taken"})
    assert response.status_code == 409
    assert response.json() == {"detail": "An application with this name already exists."}
    assert counts(db) == (2, 0, 2)
    assert_audit_invariants(db)
