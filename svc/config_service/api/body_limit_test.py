import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from config_service.api.body_limit import BodyLimitMiddleware

LIMIT = 100


async def size(request):
    return JSONResponse({"size": len(await request.body())})


async def http_error(request, exc):
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


@pytest.fixture
def client():
    app = Starlette(routes=[Route("/", size, methods=["POST"])], exception_handlers={HTTPException: http_error})
    app.add_middleware(BodyLimitMiddleware, max_body_bytes=LIMIT)
    return TestClient(app)


def chunks(total: int, size: int = 30):
    sent = 0
    while sent < total:
        piece = min(size, total - sent)
        sent += piece
        yield b"x" * piece


def test_exactly_the_limit_is_accepted(client):
    assert client.post("/", content=b"x" * LIMIT).json() == {"size": LIMIT}


def test_over_the_limit_with_content_length_is_413(client):
    response = client.post("/", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.json() == {"detail": f"Request body is larger than {LIMIT} bytes."}


def test_over_the_limit_without_content_length_is_413(client):
    assert client.post("/", content=chunks(LIMIT)).json() == {"size": LIMIT}
    response = client.post("/", content=chunks(LIMIT + 1))
    assert response.status_code == 413


def test_bad_content_length_is_400(client):
    response = client.post("/", content=b"x", headers={"content-length": "abc"})
    assert response.status_code == 400
