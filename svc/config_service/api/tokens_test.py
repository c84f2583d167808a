import io
from contextlib import redirect_stdout
from datetime import datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from config_service.cli import audit
from test.audit_invariants import assert_audit_invariants
from test.tokens import bearer, issue, remember

TOKENS = "/api/v1/tokens"


@pytest.fixture
def admin(client, database_url):
    """A client of the same app holding an admin token, and that token."""
    token = issue(database_url, "admin", name="root")
    return TestClient(client.app, headers=bearer(token["token"])), token


def verify(database_url) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out):
        code = audit.run("verify", None, database_url)
    return code, out.getvalue()


def test_a_created_token_shows_its_text_once_and_works(admin, client, database_url):
    http, root = admin
    app_id = client.post("/api/v1/applications", json={"name": "a"}).json()["id"]
    response = http.post(TOKENS, json={"name": "alice", "role": "reader", "application_ids": [app_id.lower()]})
    assert response.status_code == 201 and response.headers["cache-control"] == "no-store"
    created = response.json()
    text = remember(created.pop("token"))
    assert response.headers["location"] == f"{TOKENS}/{created['id']}"
    assert list(created) == ["id", "name", "role", "application_ids", "acts_for_others", "created_at", "created_by",
                             "expires_at", "revoked_at", "last_used_at"]
    assert (created["application_ids"], created["created_by"], created["acts_for_others"]) == ([app_id], root["id"], False)
    lifetime = datetime.fromisoformat(created["expires_at"]) - datetime.fromisoformat(created["created_at"])
    assert lifetime == timedelta(days=90)
    assert http.get(f"{TOKENS}/{created['id']}").json() == created
    listed = http.get(TOKENS).json()
    assert created in listed and all("token" not in t and "secret_hash" not in t for t in listed)
    assert text not in http.get(TOKENS).text
    own = TestClient(client.app, headers=bearer(text))
    assert own.get(f"{TOKENS}/self").json()["id"] == created["id"]
    assert own.get(f"/api/v1/applications/{app_id}").status_code == 200
    assert own.get(TOKENS).status_code == 403


@pytest.mark.parametrize("body", [
    {"name": "x"}, {"name": "", "role": "reader"}, {"name": "x", "role": "root"},
    {"name": "x", "role": "auditor", "application_ids": ["01ARZ3NDEKTSV4RRFFQ69G5FA1"]},
    {"name": "x", "role": "reader", "application_ids": []},
    {"name": "x", "role": "reader", "application_ids": ["01ARZ3NDEKTSV4RRFFQ69G5FA1"]},  # no such application
    {"name": "x", "role": "reader", "expires_at": "2020-01-01T00:00:00Z"},
    {"name": "x", "role": "reader", "expires_at": "2099-01-01T00:00:00Z"},
    {"name": "x", "role": "reader", "expires_at": "2027-01-01T00:00:00"},
    {"name": "x", "role": "reader", "acts_for_others": "yes"},
    {"name": "x", "role": "reader", "token": "mine"},
])
def test_bad_token_bodies_are_422_and_write_nothing(admin, db, body):
    http, _ = admin
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM tokens")
        before = cur.fetchone()["n"]
        response = http.post(TOKENS, json=body)
        cur.execute("SELECT count(*) AS n FROM tokens")
        assert response.status_code == 422 and response.json()["detail"], response.text
        assert cur.fetchone()["n"] == before


def test_revoke_and_rotate_with_a_grace_period(admin, client, database_url):
    http, _ = admin
    old = http.post(TOKENS, json={"name": "ci", "role": "writer", "acts_for_others": True,
                                  "expires_at": (datetime.now(timezone.utc) + timedelta(days=10)).isoformat()}).json()
    remember(old["token"])
    rotated = http.post(f"{TOKENS}/{old['id']}/rotate", json={"grace_seconds": 3600})
    assert rotated.status_code == 201 and rotated.headers["location"] == f"{TOKENS}/{rotated.json()['id']}"
    new = rotated.json()
    remember(new["token"])
    assert (new["name"], new["role"], new["acts_for_others"]) == ("ci", "writer", True) and new["token"] != old["token"]
    still = http.get(f"{TOKENS}/{old['id']}").json()
    assert datetime.fromisoformat(still["revoked_at"]) > datetime.now(timezone.utc) + timedelta(minutes=59)
    for text in (old["token"], new["token"]):  # both work during the grace period
        assert TestClient(client.app, headers=bearer(text)).get("/api/v1/applications").status_code == 200
    assert http.post(f"{TOKENS}/{old['id']}/rotate").status_code == 409  # rotated already
    assert http.post(f"{TOKENS}/{old['id']}/revoke").status_code == 200  # ends the grace now
    assert TestClient(client.app, headers=bearer(old["token"])).get("/api/v1/applications").status_code == 401
    assert http.post(f"{TOKENS}/{old['id']}/revoke").status_code == 409
    assert http.post(f"{TOKENS}/{new['id']}/rotate", json={"grace_seconds": 86_401}).status_code == 422
    assert http.post("/api/v1/tokens/01ARZ3NDEKTSV4RRFFQ69G5FA1/revoke").status_code == 404
    assert http.post("/api/v1/tokens/01ARZ3NDEKTSV4RRFFQ69G5FA1/rotate").status_code == 404
    assert http.get("/api/v1/tokens/01ARZ3NDEKTSV4RRFFQ69G5FA1").status_code == 404


def test_token_lifecycle_events_are_chained_and_verify(admin, db, database_url):
    http, root = admin
    created = http.post(TOKENS, json={"name": "bob", "role": "reader"}).json()
    remember(created["token"])
    rotated = http.post(f"{TOKENS}/{created['id']}/rotate", json={"grace_seconds": 60}).json()
    remember(rotated["token"])
    http.post(f"{TOKENS}/{rotated['id']}/revoke")
    with db.cursor() as cur:
        cur.execute("SELECT * FROM config_events WHERE entity_type = 'token' AND token_id = %s ORDER BY seq", (root["id"],))
        events = cur.fetchall()
    # A rotation appends two events in one statement, in either order.
    assert sorted((e["entity_id"], e["action"], e["version"]) for e in events) == sorted([
        (created["id"], "created", 1), (rotated["id"], "created", 1), (created["id"], "revoked", 2),
        (rotated["id"], "revoked", 2),
    ])
    events = {(e["entity_id"], e["version"]): e for e in events}
    assert all(e["application_id"] is None and e["actor"] == "root" for e in events.values())
    revoked, first = events[(created["id"], 2)], events[(created["id"], 1)]
    assert revoked["after"]["revoked_at"] == http.get(f"{TOKENS}/{created['id']}").json()["revoked_at"]
    assert revoked["changed_fields"] == ["revoked_at"] and revoked["prev_hash"] == first["hash"]
    assert "secret_hash" not in first["after"] and "last_used_at" not in first["after"]
    assert_audit_invariants(db)
    assert verify(database_url)[0] == 0


def test_a_forged_token_event_or_row_fails_verification(admin, db, database_url):
    http, _ = admin
    victim = http.post(TOKENS, json={"name": "eve", "role": "reader"}).json()
    remember(victim["token"])
    with db.cursor() as cur:
        cur.execute("SET session_replication_role = replica;"
                    " UPDATE config_events SET token_id = NULL WHERE entity_id = %s;"
                    " SET session_replication_role = origin", (victim["id"],))
    code, output = verify(database_url)
    assert code == 1 and "altered" in output and victim["id"] in output


def test_the_database_refuses_token_changes_without_their_event(admin, db):
    http, _ = admin
    victim = http.post(TOKENS, json={"name": "eve", "role": "reader"}).json()
    remember(victim["token"])
    for sql in ("UPDATE tokens SET role = 'admin' WHERE id = %(id)s",
                "UPDATE tokens SET revoked_at = now(), version = version + 1 WHERE id = %(id)s",
                "UPDATE tokens SET revoked_at = now() WHERE id = %(id)s",
                "DELETE FROM tokens WHERE id = %(id)s"):
        with db.cursor() as cur, pytest.raises(Exception) as caught:
            cur.execute(sql, {"id": victim["id"]})
        assert "token" in str(caught.value), sql
