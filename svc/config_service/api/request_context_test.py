import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from config_service.api.request_context import RequestContextMiddleware, request_id_from
from config_service.audit.events import CONTEXT_SCOPE_KEY


async def echo(request):
    context = request.scope[CONTEXT_SCOPE_KEY]
    return JSONResponse({"request_id": context.request_id, "actor": context.actor})


async def boom(request):
    raise RuntimeError("secret internals")


@pytest.fixture
def client():
    app = Starlette(routes=[Route("/echo", echo), Route("/boom", boom)])
    app.add_middleware(RequestContextMiddleware)
    return TestClient(app, raise_server_exceptions=False)


def test_request_id_is_taken_and_echoed(client):
    response = client.get("/echo", headers={"X-Request-ID": "abc-123", "X-Actor": "José".encode()})
    assert response.headers["x-request-id"] == "abc-123"
    # The actor is the authentication middleware's to set (api/authentication.py).
    assert response.json() == {"request_id": "abc-123", "actor": None}


def test_request_id_is_generated_when_absent_or_unusable(client):
    for headers in ({}, {"X-Request-ID": "x" * 129}, {"X-Request-ID": "has space"}):
        response = client.get("/echo", headers=headers)
        generated = response.headers["x-request-id"]
        assert len(generated) == 26 and response.json()["request_id"] == generated
        assert response.json()["actor"] is None


def test_unexpected_errors_are_json_500_without_internals(client, caplog):
    response = client.get("/boom", headers={"X-Request-ID": "req-9"})
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
    assert response.headers["x-request-id"] == "req-9"
    assert "secret internals" not in response.text
    assert any("req-9" in record.getMessage() for record in caplog.records)


def test_header_parsers():
    assert request_id_from(b"ok") == "ok"
    assert request_id_from(b"\xff") != "\xff"


def test_log_lines_during_a_request_carry_its_id(client, caplog):
    from config_service.log_format import RequestIdFilter

    caplog.handler.addFilter(RequestIdFilter())
    client.get("/boom", headers={"X-Request-ID": "req-log"})
    assert [r.request_id for r in caplog.records if "failed unexpectedly" in r.getMessage()] == ["req-log"]
