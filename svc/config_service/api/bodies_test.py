import asyncio

import pytest
from fastapi.exceptions import RequestValidationError
from starlette.requests import Request

from config_service.api.bodies import body_schema, read_body
from config_service.models import ApplicationIn


def request_with(body: bytes, content_type: str | None) -> Request:
    headers = [(b"content-type", content_type.encode())] if content_type else []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    return Request({"type": "http", "method": "POST", "headers": headers}, receive)


def run(coro):
    return asyncio.run(coro)


@pytest.mark.parametrize(
    "content_type", [None, "application/json", "application/json; charset=utf-8", "application/x+json"]
)
def test_json_bodies_are_read(content_type):
    assert run(read_body(request_with(b'{"name": "a"}', content_type), ApplicationIn)).name == "a"


def test_other_content_types_are_422():
    with pytest.raises(RequestValidationError) as caught:
        run(read_body(request_with(b'{"name": "a"}', "text/plain"), ApplicationIn))
    assert caught.value.errors()[0]["loc"] == ["header", "content-type"]


def test_errors_point_into_the_body_without_echoing_it():
    with pytest.raises(RequestValidationError) as caught:
        run(read_body(request_with(b'{"name": "' + b"s" * 300 + b'"}', None), ApplicationIn))
    [error] = caught.value.errors()
    assert error["loc"] == ["body", "name"] and "input" not in error


def test_body_schema_describes_the_model():
    schema = body_schema(ApplicationIn)["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == {"name", "comments"}
