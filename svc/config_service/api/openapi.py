"""The OpenAPI description says what the service really does: error bodies, statuses, headers."""

import functools
import sys
import unicodedata
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from config_service.models import JSON_VALUE_PLACEHOLDER, JSON_VALUE_REF, JSON_VALUE_SCHEMA, ULID_SCHEMA


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
# Any value is accepted: one that is not 1-128 visible ASCII characters is replaced, not refused.
REQUEST_HEADERS = [
    {"name": "X-Request-ID", "in": "header", "required": False,
     "description": "stored on the audit event and echoed in the response when it is 1-128 visible ASCII "
                    "characters; any other value is replaced by a generated ULID (never refused)",
     "schema": {"type": "string"}},
]
REQUEST_ID_ECHOED = {"type": "string", "pattern": "^[!-~]{1,128}$"}
# `*`, or a comma-separated list of entity tags, as audit/etags.parse reads them (400 otherwise).
_TAG = '(W/)?"[!#-~\\u0080-\\u00ff]*"'
ENTITY_TAGS = {"type": "string", "pattern": f"^([ \\t]*\\*[ \\t]*|[ \\t]*{_TAG}[ \\t]*(,[ \\t]*{_TAG}[ \\t]*)*,?)$"}
IF_MATCH = {"name": "If-Match", "in": "header", "required": False, "schema": ENTITY_TAGS,
            "description": "write only if the entity's current tag is one of these (`*`: if it exists); "
                           "412 otherwise; required (428) when REQUIRE_IF_MATCH=true"}
IF_NONE_MATCH = {"name": "If-None-Match", "in": "header", "required": False, "schema": ENTITY_TAGS,
                 "description": "304 without a body when the entity's current tag is one of these (or `*`)"}


def _unicode_class(categories: tuple[str, ...]) -> str:
    """A regular-expression class body of every code point in these Unicode categories."""
    ranges, start = [], None
    for code in range(sys.maxunicode + 2):
        inside = code <= sys.maxunicode and unicodedata.category(chr(code)) in categories
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            ranges.append((start, code - 1))
            start = None

    # Beyond U+FFFF the character itself: Python's and Rust's regular expressions read it as
    # one code point (an ECMAScript one only with the `u` flag, as JSON Schema intends).
    def escape(code: int) -> str:
        return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)

    return "".join(escape(a) if a == b else f"{escape(a)}-{escape(b)}" for a, b in ranges)


@functools.cache
def actor_header() -> dict:
    """X-Actor as authentication.actor_from checks it: no control (Cc) or format (Cf) characters
    (surrogates cannot arrive in UTF-8). Built when the description is first asked for (0.3 s)."""
    return {
        "name": "X-Actor", "in": "header", "required": False,
        "description": "who makes the change, stored on the audit event instead of the token's name; only from a "
                       "token with `acts_for_others` (403 otherwise). At most 256 characters of UTF-8, once, no "
                       "control or invisible format characters; empty means absent",
        "schema": {"type": "string", "maxLength": 256, "pattern": f"^[^{_unicode_class(('Cc', 'Cf'))}]*$"},
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


ENTITY_PATHS = ("/api/v1/applications/{id}", "/api/v1/configurations/{id}")


def _is_entity_write(path: str, method: str) -> bool:
    """PUT and DELETE of an entity, its revert and its restore: the writes If-Match guards."""
    if method in ("put", "delete"):
        return path in ENTITY_PATHS
    return method == "post" and path.startswith(ENTITY_PATHS) and path.endswith(("/revert", "/restore"))


def _describe_headers(schema: dict) -> dict:
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "401" in operation["responses"]:  # the guarded routes (api/guarded_route.py)
                operation["security"] = [{"bearer": []}]
            parameters = operation.setdefault("parameters", [])
            parameters.extend(REQUEST_HEADERS)
            if method in ("post", "put"):
                parameters.append(actor_header())
            if _is_entity_write(path, method):
                parameters.append(IF_MATCH)
            if method == "get" and path in ENTITY_PATHS:
                parameters.append(IF_NONE_MATCH)
            for status, response in operation["responses"].items():
                headers = response.setdefault("headers", {})
                headers["X-Request-ID"] = _header(REQUEST_ID, REQUEST_ID_ECHOED)
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


def _refer_to_json_values(node: object) -> None:
    """Put `{"$ref": JsonValue}` where models.py left its placeholder."""
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    for child in children:
        if child == JSON_VALUE_PLACEHOLDER:
            child.clear()
            child["$ref"] = JSON_VALUE_REF
        else:
            _refer_to_json_values(child)


def _limit_waits(schema: dict, seconds: float) -> None:
    """The feed's `wait` goes up to FEED_MAX_WAIT_SECONDS (api/events.py checks it)."""
    for parameter in schema["paths"]["/api/v1/events"]["get"]["parameters"]:
        if parameter["name"] == "wait":
            parameter["schema"]["maximum"] = seconds


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
            components = schema.setdefault("components", {})
            components.setdefault("schemas", {})["Ulid"] = ULID_SCHEMA
            components["schemas"]["JsonValue"] = JSON_VALUE_SCHEMA
            _refer_to_json_values(schema)
            _limit_waits(schema, app.state.settings.feed_max_wait_seconds)
            components["securitySchemes"] = {"bearer": SECURITY_SCHEME}
            app.openapi_schema = _describe_headers(schema)
        return app.openapi_schema

    app.openapi = openapi
