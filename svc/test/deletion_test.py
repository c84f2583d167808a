"""Deleting and restoring (API.md §12), through the API on the real database: every row of
the contract's table and rules, and the audit invariants after each."""

import pytest
from fastapi.testclient import TestClient

from config_service.main import create_app
from test.audit_invariants import assert_audit_invariants, counts

APPS, CONFS = "/api/v1/applications", "/api/v1/configurations"


def new_app(client, name="app") -> str:
    return client.post(APPS, json={"name": name}).json()["id"]


def new_conf(client, app_id, name="c", config=None) -> str:
    body = {"application_id": app_id, "name": name, "config": config or {"n": 1}}
    return client.post(CONFS, json=body).json()["id"]


def events_of(db, id: str) -> list[dict]:
    with db.cursor() as cur:
        cur.execute("SELECT * FROM config_events WHERE entity_id = %s ORDER BY version", (id,))
        return cur.fetchall()


def test_a_deleted_configuration_is_gone_but_its_history_stays(client, db):
    app_id = new_app(client)
    conf_id = new_conf(client, app_id)
    client.put(f"{CONFS}/{conf_id}", json={"name": "c", "config": {"n": 2}})
    app_tag = client.get(f"{APPS}/{app_id}").headers["etag"]
    assert client.delete(f"{CONFS}/{conf_id}").status_code == 204
    deleted = events_of(db, conf_id)[-1]
    assert (deleted["action"], deleted["version"], deleted["after"]) == ("deleted", 3, None)
    assert deleted["before"]["config"] == {"n": 2}
    assert sorted(deleted["changed_fields"]) == ["application_id", "comments", "config", "id", "name"]
    gone = client.get(f"{CONFS}/{conf_id}")
    assert gone.status_code == 410 and "version 3" in gone.json()["detail"] and gone.headers["etag"] == '"v3"'
    for method, body in (("PUT", {"name": "c", "config": {}}), ("DELETE", None)):
        assert client.request(method, f"{CONFS}/{conf_id}", json=body).status_code == 410, method
    assert client.post(f"{CONFS}/{conf_id}/revert", json={"version": 1}).status_code == 410
    app = client.get(f"{APPS}/{app_id}")
    assert app.json()["configuration_ids"] == [] and app.headers["etag"] != app_tag
    history = client.get(f"{CONFS}/{conf_id}/history").json()["items"]
    assert [e["action"] for e in history] == ["deleted", "updated", "created"]
    assert client.get(f"{CONFS}/{conf_id}/versions/2").json()["config"] == {"n": 2}
    assert client.get(f"{CONFS}/{conf_id}/versions/3").status_code == 410
    assert client.get(f"{CONFS}/{conf_id}/diff?from=1").json() == [{"op": "replace", "path": "/config/n", "value": 2}]
    assert client.get(f"{CONFS}/{conf_id}/diff?from=1&to=3").status_code == 410
    during = history[0]["occurred_at"]
    assert client.get(f"{CONFS}/{conf_id}", params={"as_of": during}).status_code == 410
    assert client.get(f"{CONFS}/{conf_id}", params={"as_of": history[1]["occurred_at"]}).status_code == 200
    earlier = client.get(f"{APPS}/{app_id}", params={"as_of": history[1]["occurred_at"]}).json()
    assert earlier["configuration_ids"] == [conf_id]
    assert client.get(f"{APPS}/{app_id}", params={"as_of": during}).json()["configuration_ids"] == []
    assert_audit_invariants(db)


def test_the_name_is_free_and_a_restore_is_a_new_version(client, db):
    app_id = new_app(client)
    first = new_conf(client, app_id)
    client.delete(f"{CONFS}/{first}")
    second = new_conf(client, app_id)  # the same name, a new id and a history of its own
    assert second != first and len(events_of(db, second)) == 1
    taken = client.post(f"{CONFS}/{first}/restore")
    assert taken.status_code == 409
    client.delete(f"{CONFS}/{second}")
    assert client.post(f"{CONFS}/{first}/restore", headers={"If-Match": '"v1"'}).status_code == 412
    restored = client.post(f"{CONFS}/{first}/restore", headers={"If-Match": '"v2"'})  # the deletion's tag
    assert restored.status_code == 200 and restored.headers["etag"] == '"v3"'
    assert restored.json()["id"] == first and restored.json()["config"] == {"n": 1}
    event = events_of(db, first)[-1]
    assert (event["action"], event["version"], event["before"]) == ("restored", 3, None)
    assert event["after"] == restored.json() and len(event["changed_fields"]) == 5
    assert client.post(f"{CONFS}/{first}/restore").status_code == 409  # not deleted
    assert client.get(f"{CONFS}/{first}").status_code == 200
    assert_audit_invariants(db)


def test_deleting_with_a_stale_tag_is_412_and_writes_nothing(client, db):
    conf_id = new_conf(client, new_app(client))
    client.put(f"{CONFS}/{conf_id}", json={"name": "c", "config": {}})
    before = counts(db)
    stale = client.delete(f"{CONFS}/{conf_id}", headers={"If-Match": '"v1"'})
    assert stale.status_code == 412 and stale.headers["etag"] == '"v2"' and counts(db) == before
    assert client.delete(f"{CONFS}/{conf_id}", headers={"If-Match": '"v2"'}).status_code == 204
    assert client.delete("/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FA1").status_code == 404


def test_an_application_with_live_configurations_needs_cascade(client, db):
    app_id = new_app(client)
    confs = [new_conf(client, app_id, f"c{i}") for i in range(3)]
    client.delete(f"{CONFS}/{confs[0]}")
    before = counts(db)
    refused = client.delete(f"{APPS}/{app_id}")
    assert refused.status_code == 409 and all(c in refused.json()["detail"] for c in confs[1:])
    assert confs[0] not in refused.json()["detail"] and counts(db) == before
    assert client.delete(f"{APPS}/{app_id}?cascade=true").status_code == 204
    for conf_id in confs[1:]:
        assert events_of(db, conf_id)[-1]["action"] == "deleted"
        assert client.get(f"{CONFS}/{conf_id}").status_code == 410
    assert events_of(db, confs[0])[-1]["version"] == 2  # deleted once, not twice
    with db.cursor() as cur:  # one transaction
        cur.execute("SELECT count(DISTINCT txid) AS n FROM config_events WHERE action = 'deleted' AND seq > %s",
                    (events_of(db, confs[0])[-1]["seq"],))
        assert cur.fetchone()["n"] == 1
    assert app_id not in {a["id"] for a in client.get(APPS).json()}
    assert client.get(f"{APPS}/{app_id}").status_code == 410
    body = {"application_id": app_id, "name": "late", "config": {}}
    late = client.post(CONFS, json=body)
    assert late.status_code == 422 and late.json()["detail"] == "application_id names no application."
    assert client.post(f"{CONFS}/{confs[1]}/restore").status_code == 409  # its application first
    restored = client.post(f"{APPS}/{app_id}/restore")
    assert restored.status_code == 200 and restored.json() == {"id": app_id, "name": "app", "comments": None}
    assert client.get(f"{APPS}/{app_id}").json()["configuration_ids"] == []  # they stay deleted
    assert client.post(f"{CONFS}/{confs[1]}/restore").status_code == 200
    assert client.get(f"{APPS}/{app_id}").json()["configuration_ids"] == [confs[1]]
    assert_audit_invariants(db)


def test_an_empty_application_deletes_and_its_name_is_free(client, db):
    app_id = new_app(client, "shared")
    assert client.delete(f"{APPS}/{app_id}").status_code == 204
    assert client.delete(f"{APPS}/{app_id}").status_code == 410
    assert client.put(f"{APPS}/{app_id}", json={"name": "x"}).status_code == 410
    again = new_app(client, "shared")
    assert again != app_id
    assert client.post(f"{APPS}/{app_id}/restore").status_code == 409  # the name is taken
    assert client.post(f"{APPS}/{again}/restore").status_code == 409  # live
    assert_audit_invariants(db)


def test_require_if_match_covers_delete_and_restore(settings, client_token, db):
    app = create_app(settings.model_copy(update={"require_if_match": True}))
    with TestClient(app, headers={"Authorization": f"Bearer {client_token['token']}"}) as http:
        app_id = new_app(http)
        assert http.delete(f"{APPS}/{app_id}").status_code == 428
        assert http.delete(f"{APPS}/{app_id}", headers={"If-Match": "*"}).status_code == 204
        assert http.post(f"{APPS}/{app_id}/restore").status_code == 428


@pytest.mark.parametrize("kind", ["applications", "configurations"])
def test_feed_and_verify_carry_deletions(client, db, database_url, kind):
    from config_service.cli import audit

    app_id = new_app(client)
    conf_id = new_conf(client, app_id)
    target = app_id if kind == "applications" else conf_id
    client.delete(f"/api/v1/{kind}/{target}?cascade=true")
    client.post(f"/api/v1/{kind}/{target}/restore")
    actions = [e["action"] for e in client.get("/api/v1/events?limit=1000").json()["items"] if e["entity_id"] == target]
    assert actions == ["created", "deleted", "restored"]
    assert audit.run("verify", None, database_url) == 0
