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
