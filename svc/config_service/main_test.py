from config_service.main import create_app


def test_openapi_lists_the_seven_endpoints_and_probes(settings):
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
        ("GET", "/health"),
        ("GET", "/ready"),
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


def ulid_schemas(node, path=""):
    """Every schema in the document under a property or parameter that holds a ULID."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("id", "application_id") and isinstance(value, dict):
                yield f"{path}/{key}", value
            if key == "configuration_ids" and isinstance(value, dict):
                yield f"{path}/{key}[]", value["items"]
            yield from ulid_schemas(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from ulid_schemas(value, f"{path}/{index}")


def test_openapi_describes_errors_headers_and_ulids(settings):
    schema = create_app(settings).openapi()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            assert "422" in responses, where  # X-Actor is checked on every request
            if path.startswith("/api/"):
                assert "503" in responses, where
            if "{id}" in path:
                assert "404" in responses, where
                [id_param] = [p for p in operation["parameters"] if p["name"] == "id"]
                assert id_param["schema"]["pattern"].startswith("^[0-7]"), where
            if method in ("post", "put"):
                assert {"409", "413"} <= set(responses), where
                assert "X-Actor" in {p["name"] for p in operation["parameters"]}, where
            for status, response in responses.items():
                assert "X-Request-ID" in response["headers"], where
                if status == "201":
                    assert "Location" in response["headers"], where
                if status == "503":
                    assert "Retry-After" in response["headers"], where
                if status not in ("200", "201"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), where
    detail = schema["components"]["schemas"]["ErrorBody"]["properties"]["detail"]
    assert {"type": "string"} in detail["anyOf"]
    found = list(ulid_schemas(schema))
    assert len(found) >= 6
    for where, ulid in found:
        assert ulid["type"] == "string" and ulid["pattern"].startswith("^[0-7]") and ulid["maxLength"] == 26, where
