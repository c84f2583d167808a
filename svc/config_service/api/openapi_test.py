import json
import re

import pytest

from config_service.api.authentication import actor_from
from config_service.api.openapi import ErrorBody, actor_header, errors
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


@pytest.mark.parametrize("actor", ["alice", "Zoë Ünal", "ci-deploy (for bob)", "a\tb", "a\u202eb", "a\x7f",
                                   "a\u00adb", "a\U000e0001", "a\u0085b"])
def test_the_x_actor_pattern_is_the_rule_actor_from_applies(actor):
    try:
        actor_from(actor.encode())
        accepted = True
    except ValueError:
        accepted = False
    assert bool(re.match(actor_header()["schema"]["pattern"], actor)) is accepted, ascii(actor)


def test_openapi_declares_what_the_service_does_with_request_ids_json_values_and_cursors(settings):
    schema = create_app(settings).openapi()
    text = json.dumps(schema)
    assert "$comment" not in text and schema["components"]["schemas"]["JsonValue"]["anyOf"]
    get = schema["paths"]["/api/v1/events"]["get"]
    request_id = [p for p in get["parameters"] if p["name"] == "X-Request-ID"][0]
    assert request_id["schema"] == {"type": "string"} and "replaced" in request_id["description"]
    assert get["responses"]["200"]["headers"]["X-Request-ID"]["schema"]["pattern"] == "^[!-~]{1,128}$"
    [after] = [p for p in get["parameters"] if p["name"] == "after"]
    assert re.match(after["schema"]["pattern"], "now") and not re.match(after["schema"]["pattern"], "x")
    post = schema["paths"]["/api/v1/configurations"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert post["properties"]["config"]["additionalProperties"] == {"$ref": "#/components/schemas/JsonValue"}


def test_conditional_headers_are_declared_where_they_are_read(settings):
    import re

    import pytest as _pytest

    from config_service.api.openapi import ENTITY_TAGS
    from config_service.audit import etags
    from config_service.errors import BadPrecondition
    from config_service.main import create_app

    paths = create_app(settings).openapi()["paths"]

    def headers(path, method):
        return {p["name"] for p in paths[path][method]["parameters"] if p["in"] == "header"}

    for kind in ("applications", "configurations"):
        entity = f"/api/v1/{kind}/{{id}}"
        for path, method in ((entity, "put"), (entity, "delete"), (entity + "/revert", "post"),
                             (entity + "/restore", "post")):
            assert "If-Match" in headers(path, method), (path, method)
        assert "If-None-Match" in headers(entity, "get") and "If-Match" not in headers(entity, "get")
    assert "If-Match" not in headers("/api/v1/applications", "post")
    pattern = re.compile(ENTITY_TAGS["pattern"])
    for value in ("*", '"v1"', 'W/"v1", "v2-3"', '"v1",', '"a" "b"', '"a", ', "v1", '"v1" ,"v2"'):
        try:
            etags.parse(value)
            parsed = True
        except BadPrecondition:
            parsed = False
        assert bool(pattern.match(value)) == parsed, value
    with _pytest.raises(BadPrecondition):
        etags.parse("")
