"""Every /api/v1 route × every role, in and out of scope, from the app's own route table:
a route added without a line here fails this test, and so does one the policy lets
through (or stops) where API.md §11 says otherwise."""

import itertools

import pytest
from fastapi.routing import APIRoute

from test.tokens import bearer, issue

_names = itertools.count()

# What each role may do, written out from the contract (not imported from the policy).
MAY = {
    "read": {"reader", "writer", "auditor", "admin"},
    "write": {"writer", "admin"},
    "create application": {"writer", "admin"},  # and only unscoped
    "read tokens": {"auditor", "admin"},
    "manage tokens": {"admin"},
    "own token": {"reader", "writer", "auditor", "admin"},
    "export the log": {"auditor", "admin"},
    "check the log": {"auditor", "admin"},
}
FRESH_APPLICATIONS = ("delete_application", "application_restore")  # outside every scope
PRINCIPALS = [  # (label, role, scoped to application A)
    ("admin", "admin", False), ("auditor", "auditor", False), ("writer", "writer", False),
    ("reader", "reader", False), ("scoped writer", "writer", True), ("scoped reader", "reader", True),
]


def sample(name: str, world: dict, where: str) -> tuple[str, str, dict | None, str, int]:
    """(method, path, body, what it needs, success status) for one route; `where` is "in"
    (application A and its configuration) or "out" (application B's)."""
    app, conf = (world["A"], world["CA"]) if where == "in" else (world["B"], world["CB"])
    unique = f"m{next(_names)}"
    fresh_token = lambda: issue(world["url"], "reader", name=f"victim-{unique}")["id"]  # noqa: E731
    table = {
        "list_applications": ("GET", "/applications", None, "read", 200),
        "get_application": ("GET", f"/applications/{app}", None, "read", 200),
        "create_application": ("POST", "/applications", {"name": unique}, "create application", 201),
        "update_application": ("PUT", f"/applications/{app}", {"name": world["names"][app]}, "write", 200),
        "get_configuration": ("GET", f"/configurations/{conf}", None, "read", 200),
        "create_configuration": ("POST", "/configurations", {"application_id": app, "name": unique, "config": {}},
                                 "write", 201),
        "update_configuration": ("PUT", f"/configurations/{conf}", {"name": "c", "config": {"n": 1}}, "write", 200),
        "list_events": ("GET", "/events", None, "read", 200),
        "stream_events": ("HEAD", "/events/stream", None, "read", 200),
        "list_tokens": ("GET", "/tokens", None, "read tokens", 200),
        "export_audit_log": ("GET", "/audit/export", None, "export the log", 200),
        "verify_audit_log": ("GET", "/audit/verify", None, "check the log", 200),
        "latest_checkpoint": ("GET", "/audit/checkpoints/latest", None, "check the log", 200),
        "get_token": ("GET", f"/tokens/{world['token']}", None, "read tokens", 200),
        "get_own_token": ("GET", "/tokens/self", None, "own token", 200),
        "create_token": ("POST", "/tokens", {"name": unique, "role": "reader"}, "manage tokens", 201),
        "revoke_token": ("POST", f"/tokens/{fresh_token() if name == 'revoke_token' else ''}/revoke", None,
                         "manage tokens", 200),
        "rotate_token": ("POST", f"/tokens/{fresh_token() if name == 'rotate_token' else ''}/rotate", {},
                         "manage tokens", 201),
    }
    http = world["client"]
    if name == "delete_application":  # a fresh one (A and B must stay); never in a scope
        fresh = http.post("/api/v1/applications", json={"name": unique}).json()["id"]
        table[name] = ("DELETE", f"/applications/{fresh}", None, "write", 204)
    if name == "application_restore":
        gone = http.post("/api/v1/applications", json={"name": unique}).json()["id"]
        http.delete(f"/api/v1/applications/{gone}")
        table[name] = ("POST", f"/applications/{gone}/restore", None, "write", 200)
    if name in ("delete_configuration", "configuration_restore"):
        fresh = http.post("/api/v1/configurations", json={"application_id": app, "name": unique, "config": {}})
        fresh = fresh.json()["id"]
        if name == "configuration_restore":
            http.delete(f"/api/v1/configurations/{fresh}")
        table[name] = ("DELETE", f"/configurations/{fresh}", None, "write", 204) if name == "delete_configuration" \
            else ("POST", f"/configurations/{fresh}/restore", None, "write", 200)
    for kind, id in (("application", app), ("configuration", conf)):
        table[f"{kind}_history"] = ("GET", f"/{kind}s/{id}/history", None, "read", 200)
        table[f"{kind}_version"] = ("GET", f"/{kind}s/{id}/versions/1", None, "read", 200)
        table[f"{kind}_diff"] = ("GET", f"/{kind}s/{id}/diff?from=1", None, "read", 200)
        table[f"{kind}_revert"] = ("POST", f"/{kind}s/{id}/revert", {"version": 1}, "write", 200)
    method, path, body, needs, status = table[name]  # KeyError: a route this matrix does not know
    return method, "/api/v1" + path, body, needs, status


@pytest.fixture
def world(client, database_url, db):
    ids = {"url": database_url, "names": {}, "client": client}
    for label in ("A", "B"):
        app = client.post("/api/v1/applications", json={"name": label}).json()["id"]
        conf = client.post("/api/v1/configurations", json={"application_id": app, "name": "c", "config": {}})
        ids[label], ids["C" + label], ids["names"][app] = app, conf.json()["id"], label
    ids["token"] = issue(database_url, "reader", name="listed")["id"]
    db.cursor().execute("SELECT config_events_checkpoint()")
    ids["headers"] = {
        label: bearer(issue(database_url, role, name=label, application_ids=[ids["A"]] if scoped else None)["token"])
        for label, role, scoped in PRINCIPALS
    }
    return ids


def api_routes(client) -> list[str]:
    names = [r.name for r in client.app.routes if isinstance(r, APIRoute) and r.path.startswith("/api/")]
    assert len(names) == 30, names  # every route of API.md §2, §6, §8, §11 and §12, and the log's own
    return names


def test_every_route_answers_every_role_as_the_contract_says(client, world):
    checked = 0
    for name, (label, role, scoped) in itertools.product(api_routes(client), PRINCIPALS):
        for where in ("in", "out"):
            method, path, body, needs, success = sample(name, world, where)
            response = client.request(method, path, json=body, headers=world["headers"][label])
            case = f"{label} {where} scope: {method} {path} -> {response.status_code} {response.text[:200]}"
            allowed = role in MAY[needs] and not (needs == "create application" and scoped)
            if not allowed:
                assert response.status_code == 403 and "detail" in response.json(), case
            elif scoped and (where == "out" or name in FRESH_APPLICATIONS) and "{id}" in _template(client, name):
                assert response.status_code == 404, case  # as if it did not exist
            elif scoped and where == "out" and name == "create_configuration":
                assert response.status_code == 422, case
                assert response.json()["detail"] == "application_id names no application.", case
            else:
                assert response.status_code == success, case
            checked += 1
    assert checked == 30 * len(PRINCIPALS) * 2


def _template(client, name: str) -> str:
    [route] = [r for r in client.app.routes if isinstance(r, APIRoute) and r.name == name]
    return route.path


def test_lists_and_the_feed_leave_out_what_a_token_may_not_see(client, world):
    for label, role, scoped in PRINCIPALS:
        headers = world["headers"][label]
        listed = {a["id"] for a in client.get("/api/v1/applications", headers=headers).json()}
        assert listed == ({world["A"]} if scoped else {world["A"], world["B"]}), label
        events = client.get("/api/v1/events?limit=1000", headers=headers).json()["items"]
        seen = {e["application_id"] for e in events if e["entity_type"] != "token"}
        assert seen == ({world["A"]} if scoped else {world["A"], world["B"]}), label
        assert any(e["entity_type"] == "token" for e in events) == (role in ("auditor", "admin")), label
        only_tokens = client.get("/api/v1/events?entity_type=token", headers=headers).json()["items"]
        assert bool(only_tokens) == (role in ("auditor", "admin")), label


def test_every_route_refuses_a_request_without_a_token(client, world):
    for name in api_routes(client):
        method, path, body, _, _ = sample(name, world, "in")
        response = client.request(method, path, json=body, headers={"Authorization": ""})
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer"), path
