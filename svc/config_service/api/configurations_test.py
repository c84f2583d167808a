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


@pytest.mark.parametrize(
    "raw",
    [
        b'{"name": "c", "config": {"a": NaN}}',
        b'{"name": "c", "config": {"a": -Infinity}}',
        b'{"name": "c", "config": {"a": 1e200000}}',
        b'{"name": "c", "config": {"a": 1e-20000}}',
    ],
)
def test_numbers_postgresql_cannot_hold_are_422(client, db, app_id, raw):
    created = new_configuration(client, app_id)
    response = client.put(f"/api/v1/configurations/{created['id']}", content=raw)
    assert response.status_code == 422
    assert counts(db) == (1, 1, 2)


EXACT_NUMBERS = {
    "pi": "3.141592653589793238462643383279",
    "big": "18446744073709551617.5",
    "tiny": "0." + "0" * 399 + "1",
    "huge": "1" + "0" * 400,
    "long": "9" * 4301,
    "neg": "-12345678901234567890123456789",
}


def test_numbers_come_back_exactly_as_given(client, db, app_id):
    raw = '{"application_id": "%s", "name": "n", "config": {%s}}' % (
        app_id, ", ".join(f'"{k}": {v}' for k, v in EXACT_NUMBERS.items())
    )
    created = client.post("/api/v1/configurations", content=raw)
    assert created.status_code == 201, created.text
    path = created.headers["location"]
    for body in (created.text, client.get(path).text):
        for name, number in EXACT_NUMBERS.items():
            assert f'"{name}":{number}' in body.replace(" ", "")
    updated = client.put(path, content=raw.replace(f'"application_id": "{app_id}", ', "").replace('"n"', '"m"'))
    assert updated.status_code == 200 and f'"pi":{EXACT_NUMBERS["pi"]}' in updated.text.replace(" ", "")
    # Exponents are written out: the same value, digit for digit.
    assert client.put(path, content=b'{"name": "m", "config": {"e": 1e3, "f": 1.50}}').json()["config"] == {
        "e": 1000, "f": 1.5
    }
    assert '"f":1.50' in client.get(path).text.replace(" ", "")
    assert_audit_invariants(db)


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


@pytest.mark.parametrize("application_id", ["-1", str(2**128), "2170979529252630185280316006840151308", "true", "[]"])
def test_an_id_that_is_not_a_ulid_string_is_422(client, db, app_id, application_id):
    raw = '{"application_id": %s, "name": "n", "config": {}}' % application_id
    response = client.post("/api/v1/configurations", content=raw)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "application_id"]
    assert counts(db) == (1, 0, 1)


def test_a_lower_case_application_id_is_accepted_and_answered_in_upper_case(client, app_id):
    created = new_configuration(client, app_id.lower())
    assert created["application_id"] == app_id
    assert client.get(f"/api/v1/configurations/{created['id'].lower()}").json()["id"] == created["id"]
