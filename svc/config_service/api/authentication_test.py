import time

import pytest
from fastapi.testclient import TestClient

from config_service.access import token_text
from config_service.api.authentication import actor_from, bearer_text
from config_service.errors import Unauthorized
from config_service.ids import new_id
from config_service.main import create_app
from test.audit_invariants import appended_events, counts
from test.tokens import bearer, issue

APPS = "/api/v1/applications"


@pytest.fixture
def anonymous(client):
    """The same app, sending no Authorization header of its own."""
    return TestClient(client.app)


def bad_headers(text: str) -> list:
    secret_changed = text[:-1] + ("A" if text[-1] != "A" else "B")
    return [
        [("Authorization", "Bearer " + "x" * 10_240)],
        [("Authorization", "Basic dXNlcjpwYXNz")],
        [("Authorization", "Bearer")],
        [("Authorization", "Bearer   ")],
        [("Authorization", f"Bearer {text}"), ("Authorization", f"Bearer {text}")],
        [("Authorization", f"Bearer {secret_changed}")],
        [("Authorization", f"Bearer {token_text.new_text(new_id())}")],  # names no token
        [("Authorization", "Bearer cfgs_not-a-token")],
    ]


def test_each_bad_credential_is_401_with_a_bearer_challenge_and_writes_nothing(anonymous, client, db, database_url):
    text = issue(database_url, "writer")["token"]
    before = counts(db)
    missing = anonymous.post(APPS, json={"name": "x"})
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    for headers in bad_headers(text):
        response = anonymous.post(APPS, json={"name": "x"}, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"].startswith("Bearer"), headers
        assert response.json()["detail"] and text not in response.text, headers
        assert response.headers["x-request-id"], headers
    sent = anonymous.get(APPS, headers=bad_headers(text)[5])
    assert sent.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert counts(db) == before
    assert anonymous.get("/health").status_code == 200 and anonymous.get("/openapi.json").status_code == 200


def test_revoked_and_expired_tokens_are_401(anonymous, client, db, database_url):
    revoked = issue(database_url, "reader")
    admin = bearer(issue(database_url, "admin")["token"])
    assert anonymous.get(APPS, headers=bearer(revoked["token"])).status_code == 200
    assert client.post(f"/api/v1/tokens/{revoked['id']}/revoke", headers=admin).status_code == 200
    response = anonymous.get(APPS, headers=bearer(revoked["token"]))  # the listener has emptied the cache
    assert response.status_code == 401 and "revoked" in response.json()["detail"]
    expired = issue(database_url, "reader")
    with db.cursor() as cur:  # as the owner could, with the trigger that guards the fields off
        cur.execute("SET session_replication_role = replica;"
                    " UPDATE tokens SET created_at = created_at - interval '2 days', expires_at = now() - interval '1 day'"
                    " WHERE id = %s; SET session_replication_role = origin", (expired["id"],))
    response = anonymous.get(APPS, headers=bearer(expired["token"]))
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_the_actor_is_the_tokens_name_or_x_actor_from_a_gateway(anonymous, client, db, database_url):
    plain = issue(database_url, "writer", name="ci-deploy")
    gateway = issue(database_url, "writer", name="gateway", acts_for_others=True)
    assert anonymous.post(APPS, json={"name": "a"}, headers=bearer(plain["token"])).status_code == 201
    refused = anonymous.post(APPS, json={"name": "b"}, headers={**bearer(plain["token"]), "X-Actor": "the-cfo"})
    assert refused.status_code == 403 and "X-Actor" in refused.json()["detail"]
    assert anonymous.get(APPS, headers={**bearer(plain["token"]), "X-Actor": "x"}).status_code == 403
    assert anonymous.post(APPS, json={"name": "c"}, headers={**bearer(gateway["token"]), "X-Actor": "alice"}).status_code == 201
    assert anonymous.post(APPS, json={"name": "d"}, headers={**bearer(gateway["token"]), "X-Actor": ""}).status_code == 201
    events = appended_events(db, "application")
    assert [(e["actor"], e["token_id"]) for e in events] == [
        ("ci-deploy", plain["id"]), ("alice", gateway["id"]), ("gateway", gateway["id"])
    ]


@pytest.mark.parametrize("actor", ["a" * 257, "tab\there", "alice\u202ebob", "zero\u200bwidth"])
def test_unstorable_actor_from_a_gateway_is_422(client, actor):
    response = client.post(APPS, json={"name": "x"}, headers={"X-Actor": actor.encode()})
    assert response.status_code == 422 and "X-Actor" in response.json()["detail"]


def test_two_actor_headers_are_422(client):
    response = client.get(APPS, headers=[("X-Actor", "alice"), ("X-Actor", "bob")])
    assert response.status_code == 422 and "once" in response.json()["detail"]


def test_header_parsers():
    assert actor_from(None) is None and actor_from("é".encode()) == "é"
    with pytest.raises(ValueError, match="UTF-8"):
        actor_from(b"\xff")
    assert bearer_text([b"bearer  abc "]) == "abc"
    with pytest.raises(Unauthorized) as caught:
        bearer_text([])
    assert not caught.value.token_sent


def test_last_used_at_is_written_once_a_minute_not_per_request(anonymous, client, db, database_url):
    token = issue(database_url, "reader")
    for _ in range(5):
        assert anonymous.get(APPS, headers=bearer(token["token"])).status_code == 200
    deadline = time.monotonic() + 5
    while True:  # written off the request's path
        with db.cursor() as cur:
            cur.execute("SELECT last_used_at, xmin::text AS row_version FROM tokens WHERE id = %s", (token["id"],))
            row = cur.fetchone()
        if row["last_used_at"] is not None or time.monotonic() > deadline:
            break
        time.sleep(0.01)  # polling for the background write, not standing in for it
    assert row["last_used_at"] is not None
    for _ in range(5):
        anonymous.get(APPS, headers=bearer(token["token"]))
    with db.cursor() as cur:
        cur.execute("SELECT xmin::text AS row_version FROM tokens WHERE id = %s", (token["id"],))
        assert cur.fetchone()["row_version"] == row["row_version"]  # no second write within the minute


def test_auth_off_takes_x_actor_as_sent(settings, db):
    with TestClient(create_app(settings.model_copy(update={"auth": "off"}))) as c:
        assert c.post(APPS, json={"name": "a"}, headers={"X-Actor": "me"}).status_code == 201
        assert c.post(APPS, json={"name": "b"}).status_code == 201
        assert c.get("/api/v1/tokens/self").status_code == 404
    assert [(e["actor"], e["token_id"]) for e in appended_events(db)] == [("me", None), (None, None)]
