from config_service.api.openapi import ErrorBody, errors
from config_service.main import create_app


def test_errors_describe_each_status_with_the_error_body():
    described = errors(304, 404, 412)
    assert described[404]["model"] is ErrorBody and "Not found" in described[404]["description"]
    assert "model" not in described[304] and "ETag" in described[412]["description"]


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
                assert "413" in responses, where
                assert "409" in responses or path == "/api/v1/tokens", where  # token names need not be unique
                assert "X-Actor" in {p["name"] for p in operation["parameters"]}, where
            for status, response in responses.items():
                assert "X-Request-ID" in response["headers"], where
                if status == "201":
                    assert "Location" in response["headers"], where
                if status == "503":
                    assert "Retry-After" in response["headers"], where
                if status not in ("200", "201", "204", "304"):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref.endswith("/ErrorBody"), where
    detail = schema["components"]["schemas"]["ErrorBody"]["properties"]["detail"]
    assert {"type": "string"} in detail["anyOf"]
    found = list(ulid_schemas(schema))
    assert len(found) >= 6
    for where, ulid in found:
        assert ulid["type"] == "string" and ulid["pattern"].startswith("^[0-7]") and ulid["maxLength"] == 26, where


def test_openapi_declares_etags_where_current_state_is_answered(settings):
    paths = create_app(settings).openapi()["paths"]
    assert "ETag" in paths["/api/v1/configurations/{id}"]["put"]["responses"]["412"]["headers"]
    assert "ETag" in paths["/api/v1/applications"]["post"]["responses"]["201"]["headers"]
    assert "ETag" in paths["/api/v1/applications/{id}/revert"]["post"]["responses"]["200"]["headers"]
    assert "ETag" not in paths["/api/v1/applications/{id}/history"]["get"]["responses"]["200"]["headers"]
    assert "application/json-patch+json" in paths["/api/v1/configurations/{id}/diff"]["get"]["responses"]["200"]["content"]
