from decimal import Decimal
from types import SimpleNamespace

from config_service.api.responses import ExactJSONResponse, json_text, member_location


def test_decimals_are_written_digit_for_digit():
    response = ExactJSONResponse({"config": {"pi": Decimal("3.14159265358979323846264338327950288")}}, status_code=201)
    assert response.body == b'{"config": {"pi": 3.14159265358979323846264338327950288}}'
    assert response.status_code == 201 and response.media_type == "application/json"


def test_json_text_is_sent_as_it_is_with_its_headers():
    response = json_text('{"a": 1}', '"v1"', status_code=201, location="/api/v1/things/X")
    assert response.body == b'{"a": 1}' and response.status_code == 201
    assert response.headers["etag"] == '"v1"' and response.headers["location"] == "/api/v1/things/X"
    assert "location" not in json_text("[]").headers and "etag" not in json_text("[]").headers


def test_a_created_member_lives_under_the_collection_it_was_posted_to():
    request = SimpleNamespace(scope={"path": "/behind-a-proxy/api/v1/applications", "root_path": "/behind-a-proxy"})
    assert member_location(request, "01ARZ3NDEKTSV4RRFFQ69G5FAV") == "/behind-a-proxy/api/v1/applications/01ARZ3NDEKTSV4RRFFQ69G5FAV"


def test_bodies_built_here_are_spaced_as_postgresql_builds_its_own():
    # PostgreSQL's jsonb text: `": "` after a key, `", "` between items (see repositories).
    assert ExactJSONResponse({"a": [1, {"b": None}], "c": "d"}).body == b'{"a": [1, {"b": null}], "c": "d"}'
    assert ExactJSONResponse({"n": Decimal("1.0"), "m": [Decimal("2")]}).body == b'{"n": 1.0, "m": [2]}'
