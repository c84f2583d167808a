from datetime import datetime, timedelta, timezone

import pytest

from test.audit_invariants import assert_audit_invariants, counts

MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


@pytest.fixture
def app_id(client) -> str:
    return client.post("/api/v1/applications", json={"name": "app"}).json()["id"]


def new_configuration(client, app_id, config=None, name="c") -> str:
    body = {"application_id": app_id, "name": name, "config": config or {"pool": 5}}
    return client.post("/api/v1/configurations", json=body).json()["id"]


def put(client, config_id, config, name="c", **headers):
    return client.put(f"/api/v1/configurations/{config_id}", json={"name": name, "config": config}, headers=headers)


def test_history_pages_newest_first_with_every_column(client, app_id):
    config_id = new_configuration(client, app_id)
    put(client, config_id, {"pool": 6}, **{"X-Actor": "bob", "X-Request-ID": "req-2"})
    page = client.get(f"/api/v1/configurations/{config_id}/history").json()
    assert page["next"] is None and [e["version"] for e in page["items"]] == [2, 1]
    newest = page["items"][0]
    assert set(newest) == {
        "seq", "id", "occurred_at", "entity_type", "entity_id", "application_id", "action", "version", "before",
        "after", "changed_fields", "actor", "token_id", "request_id", "restored_from", "prev_hash", "hash",
    }
    assert (newest["actor"], newest["request_id"], newest["changed_fields"]) == ("bob", "req-2", ["config"])
    assert newest["before"]["config"] == {"pool": 5} and newest["after"]["config"] == {"pool": 6}
    assert newest["occurred_at"].endswith("Z") and len(newest["occurred_at"]) == len("2026-11-27T15:01:43.123456Z")
    assert newest["prev_hash"] == page["items"][1]["hash"]  # one chain: the event just before it
    assert client.get(f"/api/v1/applications/{app_id}/history").json()["items"][0]["action"] == "created"


def test_paging_visits_each_version_once(client, db, app_id):
    config_id = new_configuration(client, app_id)
    for n in range(249):
        assert put(client, config_id, {"n": n}).status_code == 200
    seen, sizes, path = [], [], f"/api/v1/configurations/{config_id}/history?limit=100"
    while path:
        page = client.get(path).json()
        sizes.append(len(page["items"]))
        seen += [e["version"] for e in page["items"]]
        path = page["next"]
    assert sizes == [100, 100, 50] and seen == list(range(250, 0, -1))
    assert_audit_invariants(db)


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=1001", "limit=x", "before_version=0", "before_version=-1", "before_version=2147483648"]
)
def test_bad_paging_parameters_are_422(client, app_id, query):
    assert client.get(f"/api/v1/applications/{app_id}/history?{query}").status_code == 422


def test_unknown_entities_and_versions_are_404(client, app_id):
    for path in (f"/api/v1/applications/{MISSING}/history", f"/api/v1/configurations/{MISSING}/versions/1",
                 f"/api/v1/applications/{app_id}/versions/2", f"/api/v1/applications/{app_id}/diff?from=1&to=3",
                 f"/api/v1/configurations/{MISSING}/diff?from=1"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["detail"], path
    assert "no version 2" in client.get(f"/api/v1/applications/{app_id}/versions/2").json()["detail"]
    assert client.get(f"/api/v1/applications/{app_id}/history?before_version=1").json() == {"items": [], "next": None}
    assert client.get("/api/v1/applications/nope/history").status_code == 422


def test_versions_are_the_snapshots(client, app_id):
    config_id = new_configuration(client, app_id, {"pool": 5})
    put(client, config_id, {"pool": 6}, name="renamed")
    first = client.get(f"/api/v1/configurations/{config_id}/versions/1")
    assert first.status_code == 200 and first.json()["config"] == {"pool": 5} and first.json()["name"] == "c"
    assert client.get(f"/api/v1/configurations/{config_id}/versions/2").json()["name"] == "renamed"
    assert client.get(f"/api/v1/configurations/{config_id}/versions/0").status_code == 422


def test_diff_is_a_json_patch(client, app_id):
    config_id = new_configuration(client, app_id, {"pool": 5, "a/b": {"~x": 1}, "gone": True, "list": [1]})
    put(client, config_id, {"pool": 5, "a/b": {"~x": 2}, "list": [1, 2], "new": None})
    response = client.get(f"/api/v1/configurations/{config_id}/diff?from=1")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json-patch+json"
    assert response.json() == [
        {"op": "replace", "path": "/config/a~1b/~0x", "value": 2},
        {"op": "remove", "path": "/config/gone"},
        {"op": "replace", "path": "/config/list", "value": [1, 2]},
        {"op": "add", "path": "/config/new", "value": None},
    ]
    assert client.get(f"/api/v1/configurations/{config_id}/diff?from=2&to=2").json() == []
    assert client.get(f"/api/v1/configurations/{config_id}/diff?from=2&to=1").json()[1] == {
        "op": "add", "path": "/config/gone", "value": True
    }
    for query in ("", "from=x", "from=0", "from=1&to=0"):
        assert client.get(f"/api/v1/configurations/{config_id}/diff?{query}").status_code == 422, query


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_as_of_between_at_and_before_events_in_any_offset(client, app_id):
    config_id = new_configuration(client, app_id, {"pool": 5})
    put(client, config_id, {"pool": 6})
    other = new_configuration(client, app_id, name="later")
    v1, v2 = reversed(client.get(f"/api/v1/configurations/{config_id}/history").json()["items"])
    t1, t2 = instant(v1["occurred_at"]), instant(v2["occurred_at"])
    micro = timedelta(microseconds=1)

    def as_of(kind, id, at: datetime):
        return client.get(f"/api/v1/{kind}/{id}", params={"as_of": at.isoformat()})

    assert as_of("configurations", config_id, t1 - micro).status_code == 404
    assert as_of("configurations", config_id, t1).json()["config"] == {"pool": 5}
    assert as_of("configurations", config_id, t2 - micro).json()["config"] == {"pool": 5}
    assert as_of("configurations", config_id, t2).json()["config"] == {"pool": 6}
    in_india = t1.astimezone(timezone(timedelta(hours=5, minutes=30)))
    assert as_of("configurations", config_id, in_india).json()["config"] == {"pool": 5}
    application_then = as_of("applications", app_id, t2).json()
    assert application_then == {"id": app_id, "name": "app", "comments": None, "configuration_ids": [config_id]}
    assert "etag" not in as_of("applications", app_id, t2).headers
    assert client.get(f"/api/v1/applications/{app_id}").json()["configuration_ids"] == [config_id, other]
    naive = client.get(f"/api/v1/configurations/{config_id}", params={"as_of": "2026-11-27T15:01:43"})
    assert naive.status_code == 422 and naive.json()["detail"][0]["loc"] == ["query", "as_of"]


def test_revert_restores_a_version_as_a_new_one(client, db, app_id):
    config_id = new_configuration(client, app_id, {"pool": 5})
    put(client, config_id, {"pool": 6}, name="renamed")
    path = f"/api/v1/configurations/{config_id}/revert"
    response = client.post(path, json={"version": 1}, headers={"X-Actor": "carol", "X-Request-ID": "undo-1"})
    assert response.status_code == 200 and response.headers["etag"] == '"v3"'
    assert response.json() == {"id": config_id, "application_id": app_id, "name": "c", "comments": None,
                               "config": {"pool": 5}}
    event = client.get(f"/api/v1/configurations/{config_id}/history?limit=1").json()["items"][0]
    assert (event["action"], event["version"], event["restored_from"], event["actor"], event["request_id"]) == (
        "updated", 3, 1, "carol", "undo-1"
    )
    noop = client.post(path, json={"version": 3})
    assert noop.status_code == 200 and client.get(f"/api/v1/configurations/{config_id}/history?limit=1").json()[
        "items"][0]["changed_fields"] == []
    assert_audit_invariants(db)


def test_refused_reverts_write_nothing(client, db, app_id):
    config_id = new_configuration(client, app_id, {"pool": 5})
    put(client, config_id, {"pool": 6}, name="renamed")
    new_configuration(client, app_id, name="c")  # the old name is taken now
    before = counts(db)
    path = f"/api/v1/configurations/{config_id}/revert"
    for version in (1, 1.0):  # a number without a fraction is an integer, as in JSON Schema
        assert client.post(path, json={"version": version}).status_code == 409
    assert client.post(path, json={"version": 9}).status_code == 404
    assert client.post(f"/api/v1/configurations/{MISSING}/revert", json={"version": 1}).status_code == 404
    for body in ({}, {"version": 0}, {"version": "1"}, {"version": 1.5}, {"version": True}, {"version": 1, "x": 1}):
        assert client.post(path, json=body).status_code == 422, body
    assert counts(db) == before
    app_revert = client.post(f"/api/v1/applications/{app_id}/revert", json={"version": 1})
    assert app_revert.status_code == 200 and app_revert.json()["name"] == "app"
    assert_audit_invariants(db)


def test_history_pages_link_to_the_next_one_in_a_header_too(client):
    app_id = client.post("/api/v1/applications", json={"name": "linked"}).json()["id"]
    for name in ("b", "c"):
        client.put(f"/api/v1/applications/{app_id}", json={"name": name})
    first = client.get(f"/api/v1/applications/{app_id}/history?limit=2")
    assert first.headers["link"] == f'<{first.json()["next"]}>; rel="next"'
    last = client.get(first.json()["next"])
    assert last.json()["next"] is None and "link" not in last.headers
