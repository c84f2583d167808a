from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from config_service.api.head_requests import HeadAsGetMiddleware


async def page(request):
    return JSONResponse({"method": request.method}, headers={"ETag": '"1"'})


async def chunks(request):
    async def body():
        yield b"a"
        yield b"b"

    return StreamingResponse(body(), media_type="text/plain")


async def create(request):
    return JSONResponse({}, status_code=201)


def client() -> TestClient:
    app = Starlette(routes=[Route("/page", page), Route("/chunks", chunks), Route("/create", create, methods=["POST"])])
    app.add_middleware(HeadAsGetMiddleware)
    return TestClient(app)


def test_head_gets_the_get_headers_and_no_body():
    got, head = client().get("/page"), client().head("/page")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == '"1"' and head.headers["content-length"] == got.headers["content-length"]


def test_head_of_a_streamed_body_sends_nothing():
    head = client().head("/chunks")
    assert head.status_code == 200 and head.content == b""


def test_head_where_there_is_no_get_is_405():
    assert client().head("/create").status_code == 405
    assert client().post("/create").status_code == 201
