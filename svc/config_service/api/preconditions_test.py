import hashlib

import pytest

from config_service.main import create_app
from test.audit_invariants import counts

MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


@pytest.fixture
def app_id(client) -> str:
    return client.post("/api/v1/applications", json={"name": "app"}).json()["id"]


def test_every_current_state_response_has_a_strong_etag(client, app_id):
    created = client.post("/api/v1/configurations", json={"application_id": app_id, "name": "c", "config": {}})
    assert created.headers["etag"] == '"v1"'
    config_id = created.json()["id"]
    assert client.get(f"/api/v1/configurations/{config_id}").headers["etag"] == '"v1"'
    updated = client.put(f"/api/v1/configurations/{config_id}", json={"name": "c", "config": {"a": 1}})
    assert updated.headers["etag"] == '"v2"'
    assert client.head(f"/api/v1/configurations/{config_id}").headers["etag"] == '"v2"'


def test_an_applications_tag_changes_when_a_configuration_is_added_but_if_match_still_holds(client, app_id):
    path = f"/api/v1/applications/{app_id}"
    tag = client.get(path).headers["etag"]
    conf = client.post("/api/v1/configurations", json={"application_id": app_id, "name": "c", "config": {}})
    newer = client.get(path).headers["etag"]
    members = int(hashlib.md5(conf.json()["id"].encode()).hexdigest()[:8], 16)  # of the ids it lists
    assert newer != tag and newer == f'"v1-{members}"'
    assert client.get(path, headers={"If-None-Match": tag}).status_code == 200
    updated = client.put(path, json={"name": "renamed"}, headers={"If-Match": tag})
    assert updated.status_code == 200 and updated.headers["etag"] == f'"v2-{members}"'
    client.delete(conf.headers["location"])
    assert client.get(path).headers["etag"] == '"v2-0"'  # the list is empty again


def test_if_none_match_gives_304_without_a_body(client, app_id):
    path = f"/api/v1/applications/{app_id}"
    tag = client.get(path).headers["etag"]
    for header in (tag, f'"other", W/{tag}', "*"):
        response = client.get(path, headers={"If-None-Match": header})
        assert (response.status_code, response.content, response.headers["etag"]) == (304, b"", tag)
    assert client.get(path, headers={"If-None-Match": "nonsense"}).status_code == 400


def test_a_stale_if_match_is_412_with_the_current_tag_and_writes_nothing(client, db, app_id):
    path = f"/api/v1/applications/{app_id}"
    stale = client.get(path).headers["etag"]
    client.put(path, json={"name": "b"})
    before = counts(db)
    for method, url, body in (("PUT", path, {"name": "c"}), ("POST", path + "/revert", {"version": 1})):
        response = client.request(method, url, json=body, headers={"If-Match": stale})
        assert response.status_code == 412 and response.headers["etag"] == '"v2-0"', method
        assert "changed" in response.json()["detail"]
    assert counts(db) == before
    assert client.put(path, json={"name": "c"}, headers={"If-Match": '"x", "v2-0"'}).status_code == 200
    assert client.put(path, json={"name": "d"}, headers={"If-Match": "*"}).status_code == 200


@pytest.mark.parametrize("header", ["v1", '"v1', 'W/v1', '"a" "b"'])
def test_an_unparsable_if_match_is_400(client, db, app_id, header):
    before = counts(db)
    response = client.put(f"/api/v1/applications/{app_id}", json={"name": "x"}, headers={"If-Match": header})
    assert response.status_code == 400 and "If-Match" in response.json()["detail"]
    assert counts(db) == before


def test_if_match_on_a_missing_entity_is_404(client):
    response = client.put(f"/api/v1/applications/{MISSING}", json={"name": "x"}, headers={"If-Match": '"v1-0"'})
    assert response.status_code == 404


def test_require_if_match_makes_it_mandatory(settings, db, client_token):
    from fastapi.testclient import TestClient

    app = create_app(settings.model_copy(update={"require_if_match": True}))
    with TestClient(app, headers={"Authorization": f"Bearer {client_token['token']}"}) as client:
        created = client.post("/api/v1/applications", json={"name": "a"})
        path = f"/api/v1/applications/{created.json()['id']}"
        before = counts(db)
        for method, url, body in (("PUT", path, {"name": "b"}), ("POST", path + "/revert", {"version": 1})):
            response = client.request(method, url, json=body)
            assert response.status_code == 428 and "If-Match" in response.json()["detail"], method
        assert counts(db) == before
        tagged = client.put(path, json={"name": "b"}, headers={"If-Match": created.headers["etag"]})
        assert tagged.status_code == 200
