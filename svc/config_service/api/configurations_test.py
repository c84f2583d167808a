import pytest

from test.audit_invariants import assert_audit_invariants, counts

MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


@pytest.fixture
def app_id(client) -> str:
    return client.post("/api/v1/applications", json={"name": "app"}).json()["id"]


def new_configuration(client, app_id, name="c", config=None) -> dict:
    body = {"application_id": app_id, "name": name, "config": config or {"a": 1}}
    response = client.post("/api/v1/configurations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_get_update(client, db, app_id):
    created = new_configuration(client, app_id, config={"db": {"pool": 5}, "flags": [True, None]})
    assert created["comments"] is None and created["application_id"] == app_id
    got = client.get(f"/api/v1/configurations/{created['id']}")
    assert got.json() == created
    body = {"name": "c2", "comments": "why", "config": {"db": {"pool": 6}}}
    updated = client.put(f"/api/v1/configurations/{created['id']}", json=body)
    assert updated.status_code == 200
    assert updated.json() == {**created, **body}
    application = client.get(f"/api/v1/applications/{app_id}").json()
    assert application["configuration_ids"] == [created["id"]]
    with db.cursor() as cur:
        cur.execute("SELECT changed_fields FROM config_events WHERE version = 2")
        assert cur.fetchone()["changed_fields"] == ["name", "comments", "config"]
    assert_audit_invariants(db)


def test_configuration_ids_are_oldest_first(client, app_id):
    ids = [new_configuration(client, app_id, name=f"c{i}")["id"] for i in range(5)]
    assert client.get(f"/api/v1/applications/{app_id}").json()["configuration_ids"] == ids


def test_location_header(client, app_id):
    body = {"application_id": app_id, "name": "c", "config": {}}
    response = client.post("/api/v1/configurations", json=body)
    assert response.headers["location"] == f"/api/v1/configurations/{response.json()['id']}"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "c", "config": {}},
        {"application_id": "bad", "name": "c", "config": {}},
        {"application_id": MISSING, "name": "c", "config": {}},
        {"application_id": "APP", "name": "c", "config": []},
        {"application_id": "APP", "name": "c", "config": "x"},
        {"application_id": "APP", "name": "", "config": {}},
        {"application_id": "APP", "name": "c"},
        {"application_id": "APP", "name": "c", "config": {}, "id": MISSING},
        {"application_id": "APP", "name": "c", "config": {"k": "\u0000"}},
    ],
)
def test_create_errors_are_422_and_change_nothing(client, db, app_id, body):
    if body.get("application_id") == "APP":
        body = {**body, "application_id": app_id}
    response = client.post("/api/v1/configurations", json=body)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()
    assert counts(db) == (1, 0, 1)


def test_unknown_application_is_422_with_a_clear_detail(client, db, app_id):
    body = {"application_id": MISSING, "name": "c", "config": {}}
    response = client.post("/api/v1/configurations", json=body)
    assert response.json() == {"detail": "application_id names no application."}


@pytest.mark.parametrize("raw", [b'{"name": "c", "config": {"a": NaN}}', b'{"name": "c", "config": {"a": 1e400}}'])
def test_non_finite_numbers_are_422(client, db, app_id, raw):
    created = new_configuration(client, app_id)
    response = client.put(f"/api/v1/configurations/{created['id']}", content=raw)
    assert response.status_code == 422
    assert counts(db) == (1, 1, 2)


def test_update_errors(client, db, app_id):
    created = new_configuration(client, app_id)
    new_configuration(client, app_id, name="taken")
    path = f"/api/v1/configurations/{created['id']}"
    assert client.put(path, json={"name": "taken", "config": {}}).status_code == 409
    moved = {"name": "c", "config": {}, "application_id": app_id}
    assert client.put(path, json=moved).status_code == 422
    assert client.put(f"/api/v1/configurations/{MISSING}", json={"name": "c", "config": {}}).status_code == 404
    assert client.get(f"/api/v1/configurations/{MISSING}").status_code == 404
    assert client.get("/api/v1/configurations/0").status_code == 422
    assert counts(db) == (1, 2, 3)
    assert_audit_invariants(db)


def test_same_name_in_two_applications_is_fine(client, app_id):
    other = client.post("/api/v1/applications", json={"name": "other"}).json()["id"]
    new_configuration(client, app_id, name="shared")
    new_configuration(client, other, name="shared")
    assert client.post(
        "/api/v1/configurations", json={"application_id": app_id, "name": "shared", "config": {}}
    ).status_code == 409
