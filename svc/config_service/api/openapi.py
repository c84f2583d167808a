"""The OpenAPI description says what the service really does: error bodies, statuses, headers."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from config_service.models import ULID_SCHEMA


class ValidationIssue(BaseModel):
    type: str
    loc: list[str | int]
    msg: str


class ErrorBody(BaseModel):
    detail: str | list[ValidationIssue] = Field(
        description="a sentence, or for 422 validation errors one entry per problem (never echoing the input)"
    )


DESCRIPTIONS = {
    304: "Not modified: the `If-None-Match` tag is current (no body)",
    400: "Malformed header (for example an unparsable `If-Match`)",
    404: "Not found",
    409: "Conflict: the name is taken, or the entity's history is inconsistent",
    412: "Precondition failed: the `If-Match` tag is not current (the current tag is in `ETag`)",
    413: "Request body larger than MAX_BODY_BYTES",
    422: "Invalid input: path, query, headers or body",
    428: "Precondition required: `If-Match` is mandatory (REQUIRE_IF_MATCH=true)",
    503: "The database is unavailable or busy; retry after `Retry-After` seconds",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with the error body (304 has none)."""
    return {
        status: {"description": DESCRIPTIONS[status]} if status == 304
        else {"model": ErrorBody, "description": DESCRIPTIONS[status]}
        for status in statuses
    }


def _header(description: str, schema: dict | None = None) -> dict:
    return {"description": description, "schema": schema or {"type": "string"}}


REQUEST_ID = "echoes the client's `X-Request-ID` (1-128 visible ASCII characters) or a generated ULID"
REQUEST_HEADERS = [
    {"name": "X-Request-ID", "in": "header", "required": False,
     "description": "stored on the audit event; echoed in the response", "schema": {"type": "string", "maxLength": 128}},
]
ACTOR_HEADER = {
    "name": "X-Actor", "in": "header", "required": False,
    "description": "who makes the change, stored on the audit event (at most 256 characters, once, "
                   "no control or invisible format characters; empty means absent)",
    "schema": {"type": "string", "maxLength": 256},
}


def _carries_current_state(path: str, method: str) -> bool:
    """Creates, reads and writes of one entity, and reverts (not as_of reads, which share GET)."""
    return path.endswith(("/{id}", "/revert")) or (method == "post" and path.count("/") == 3)


def _describe_headers(schema: dict) -> dict:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parameters = operation.setdefault("parameters", [])
            parameters.extend(REQUEST_HEADERS)
            if method in ("post", "put"):
                parameters.append(ACTOR_HEADER)
            for status, response in operation["responses"].items():
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = _header(REQUEST_ID)
                if status == "201":
                    headers["Location"] = _header("the path of the new resource")
                if status == "503":
                    headers["Retry-After"] = _header("seconds to wait", {"type": "integer"})
                if _carries_current_state(path, method) and status in ("200", "201", "304", "412"):
                    headers["ETag"] = _header("the entity's current strong tag, for If-Match and If-None-Match")
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Ulid"] = ULID_SCHEMA
            app.openapi_schema = _describe_headers(schema)
        return app.openapi_schema

    app.openapi = openapi
