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
    401: "No token, or one that is unknown, malformed, expired or revoked (see `WWW-Authenticate`)",
    403: "The token's role does not allow this operation, or it may not send `X-Actor`",
    404: "Not found",
    409: "Conflict: the name is taken, the entity's history is inconsistent, or the token has ended already",
    410: "Gone: the entity was deleted (the `detail` names its deletion; `ETag` is the tag a restore matches)",
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
    "description": "who makes the change, stored on the audit event instead of the token's name; only from a "
                   "token with `acts_for_others` (403 otherwise). At most 256 characters, once, no control or "
                   "invisible format characters; empty means absent",
    "schema": {"type": "string", "maxLength": 256},
}
SECURITY_SCHEME = {
    "type": "http", "scheme": "bearer",
    "description": "an API token (`cfgs_...`), from `pipenv run token create` or `POST /api/v1/tokens`",
}
AUTHENTICATE = "`Bearer`, with `error=\"invalid_token\"` when the token sent was not accepted"


def _carries_current_state(path: str, method: str) -> bool:
    """Creates, reads and writes of one entity, and reverts (not as_of reads, which share GET)."""
    if path.startswith("/api/v1/tokens"):
        return False  # tokens have no ETag
    if method == "delete":
        return False  # 204: no body
    return path.endswith(("/{id}", "/revert", "/restore")) or (method == "post" and path.count("/") == 3)


def _describe_headers(schema: dict) -> dict:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "401" in operation["responses"]:  # the guarded routes (api/guarded_route.py)
                operation["security"] = [{"bearer": []}]
            parameters = operation.setdefault("parameters", [])
            parameters.extend(REQUEST_HEADERS)
            if method in ("post", "put"):
                parameters.append(ACTOR_HEADER)
            for status, response in operation["responses"].items():
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = _header(REQUEST_ID)
                if status == "201":
                    headers["Location"] = _header("the path of the new resource")
                if status == "200" and path.endswith(("/history", "/events")):
                    headers["Link"] = _header('`<path and query of the next page>; rel="next"` (RFC 8288), '
                                              "when there is one (always on the feed)")
                if status == "401":
                    headers["WWW-Authenticate"] = _header(AUTHENTICATE)
                if status == "503":
                    headers["Retry-After"] = _header("seconds to wait", {"type": "integer"})
                if status in ("410", "412") or (_carries_current_state(path, method) and status in ("200", "201", "304")):
                    headers["ETag"] = _header("the entity's current strong tag, for If-Match and If-None-Match")
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {})
            components.setdefault("schemas", {})["Ulid"] = ULID_SCHEMA
            components["securitySchemes"] = {"bearer": SECURITY_SCHEME}
            app.openapi_schema = _describe_headers(schema)
        return app.openapi_schema

    app.openapi = openapi
