import gc

from fastapi.testclient import TestClient

from config_service.main import create_app


def test_openapi_lists_the_endpoints_and_probes(settings):
    schema = create_app(settings).openapi()
    paths = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert paths == {
        ("POST", "/api/v1/applications"),
        ("GET", "/api/v1/applications"),
        ("GET", "/api/v1/applications/{id}"),
        ("PUT", "/api/v1/applications/{id}"),
        ("POST", "/api/v1/configurations"),
        ("GET", "/api/v1/configurations/{id}"),
        ("PUT", "/api/v1/configurations/{id}"),
        ("DELETE", "/api/v1/applications/{id}"),
        ("DELETE", "/api/v1/configurations/{id}"),
        ("GET", "/health"),
        ("GET", "/ready"),
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/events/stream"),
        ("POST", "/api/v1/tokens"),
        ("GET", "/api/v1/tokens"),
        ("GET", "/api/v1/tokens/self"),
        ("GET", "/api/v1/tokens/{id}"),
        ("POST", "/api/v1/tokens/{id}/revoke"),
        ("POST", "/api/v1/tokens/{id}/rotate"),
        ("GET", "/api/v1/audit/export"),
        ("GET", "/api/v1/audit/verify"),
        ("GET", "/api/v1/audit/checkpoints/latest"),
    } | {
        (method, f"/api/v1/{kind}/{{id}}/{tail}")
        for kind in ("applications", "configurations")
        for method, tail in (("GET", "history"), ("GET", "versions/{version}"), ("GET", "diff"), ("POST", "revert"),
                             ("POST", "restore"))
    }


def test_unknown_route_is_json_404(client):
    response = client.get("/nope")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_trailing_slash_is_a_json_404_not_a_redirect(client):
    response = client.post("/api/v1/applications/", json={"name": "a"}, headers={"Host": "evil.example"})
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}
    assert "location" not in response.headers


def test_head_is_answered_wherever_get_is(client):
    app_id = client.post("/api/v1/applications", json={"name": "a"}).json()["id"]
    for path in ("/health", "/ready", "/api/v1/applications", f"/api/v1/applications/{app_id}"):
        got, head = client.get(path), client.head(path)
        assert (head.status_code, head.content) == (200, b""), path
        assert head.headers["content-length"] == got.headers["content-length"], path


def test_objects_made_at_startup_are_kept_out_of_the_collectors_passes(settings):
    gc.unfreeze()
    with TestClient(create_app(settings)):
        assert gc.get_freeze_count() > 0
    gc.unfreeze()


def test_the_api_reads_are_tried_first_and_paths_keep_their_order(settings):
    routes = [route.name for route in create_app(settings).router.routes]
    assert routes[0] == "get_application" and routes.index("get_configuration") < 4
    assert routes.index("get_own_token") < routes.index("get_token")  # /tokens/self before /tokens/{id}
    assert routes.index("openapi") > routes.index("rotate_token")


def test_a_request_tries_only_the_routes_of_its_method(settings):
    index = create_app(settings).router.middleware_stack
    assert [route.name for route in index.routes["POST"]][0] == "create_application"
    assert [route.name for route in index.routes["PUT"]][:2] == ["update_application", "update_configuration"]
