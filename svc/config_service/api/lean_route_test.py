from typing import Annotated, Literal

import pytest
from fastapi import APIRouter, Depends, FastAPI, Header, Path, Query, Request
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from config_service.api.lean_route import LeanRoute


def _router(route_class) -> APIRouter:
    router = APIRouter(route_class=route_class)

    @router.get("/items/{id}")
    async def item(
        id: Annotated[str, Path(pattern="^[0-9A-Z]{4}$")],
        request: Request,
        limit: Annotated[int, Query(ge=1, le=10)] = 5,
        kind: Annotated[Literal["a", "b"] | None, Query()] = None,
        since: Annotated[int, Query(alias="from")] = 1,
        last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None,
        x_trace: Annotated[str | None, Header()] = None,
    ):
        return JSONResponse({
            "id": id, "limit": limit, "kind": kind, "from": since, "last": last_event_id,
            "trace": x_trace, "path": request.url.path,
        })

    @router.get("/required")
    async def required(n: Annotated[int, Query()]):
        return JSONResponse({"n": n})

    @router.get("/plain")
    async def plain():
        return {"not": "a response"}

    @router.get("/with-dependency")
    async def with_dependency(value: Annotated[str, Depends(lambda: "solved")]):
        return {"value": value}

    return router


def _client(route_class) -> TestClient:
    app = FastAPI()
    app.include_router(_router(route_class))
    return TestClient(app, raise_server_exceptions=False)


lean, standard = _client(LeanRoute), _client(APIRoute)

SAME_ANSWERS = [
    "/items/AB12",
    "/items/AB12?limit=3&kind=b&from=7",
    "/items/ab12",
    "/items/AB12?limit=0",
    "/items/AB12?limit=x&kind=c&from=",
    "/items/AB12?limit=2&limit=4",
    "/required",
    "/required?n=4",
    "/required?n=four",
]


@pytest.mark.parametrize("url", SAME_ANSWERS)
def test_answers_exactly_as_fastapis_own_handler(url):
    headers = {"Last-Event-ID": "7.abc", "X-Trace": "t1"}
    mine, theirs = lean.get(url, headers=headers), standard.get(url, headers=headers)
    assert (mine.status_code, mine.json()) == (theirs.status_code, theirs.json())


def test_headers_are_read_by_alias_and_by_converted_name():
    body = lean.get("/items/AB12", headers={"Last-Event-ID": "9.x", "X-Trace": "t2"}).json()
    assert (body["last"], body["trace"]) == ("9.x", "t2")
    assert lean.get("/items/AB12").json()["last"] is None


def test_invalid_values_give_422_naming_each_parameter():
    answer = lean.get("/items/AB12?limit=0&kind=c")
    assert answer.status_code == 422
    assert [error["loc"] for error in answer.json()["detail"]] == [["query", "limit"], ["query", "kind"]]


def test_an_endpoint_not_returning_a_response_is_a_server_error():
    assert lean.get("/plain").status_code == 500


def test_routes_needing_more_keep_fastapis_handler():
    assert lean.get("/with-dependency").json() == {"value": "solved"}
