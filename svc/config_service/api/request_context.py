"""Pure ASGI middleware: the request id and actor of each request, echoed and stored."""

import re
import unicodedata

from starlette.responses import JSONResponse

from config_service.api.errors import unexpected_error
from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.ids import new_id
from config_service.log_format import request_id_var

MAX_REQUEST_ID_LENGTH = 128
MAX_ACTOR_LENGTH = 256
_REQUEST_ID = re.compile(rb"[\x21-\x7e]{1,%d}" % MAX_REQUEST_ID_LENGTH)


def request_id_from(raw: bytes | None) -> str:
    """The client's X-Request-ID when it is 1-128 visible ASCII characters, else a new one."""
    if raw is not None and _REQUEST_ID.fullmatch(raw):
        return raw.decode("ascii")
    return new_id()


def actor_from(raw: bytes | None) -> str | None:
    """The X-Actor header as given (empty means absent); ValueError when it cannot be
    stored faithfully or could be displayed as another name."""
    if not raw:
        return None
    try:
        actor = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("X-Actor must be UTF-8 text") from None
    if len(actor) > MAX_ACTOR_LENGTH:
        raise ValueError(f"X-Actor must be at most {MAX_ACTOR_LENGTH} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in actor):
        raise ValueError("X-Actor must not contain control characters")
    if any(unicodedata.category(ch) == "Cf" for ch in actor):
        raise ValueError("X-Actor must not contain invisible format characters (such as U+202E)")
    return actor


class RequestContextMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id_raw = actor_raw = None
        actors = 0
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id_raw = value
            elif name == b"x-actor":
                actor_raw, actors = value, actors + 1
        request_id = request_id_from(request_id_raw)
        request_id_var.set(request_id)  # uvicorn runs each request in a task of its own
        header = (b"x-request-id", request_id.encode("ascii"))

        async def send_with_request_id(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        try:
            if actors > 1:
                raise ValueError("X-Actor must be given at most once")
            actor = actor_from(actor_raw)
        except ValueError as exc:
            response = JSONResponse({"detail": str(exc)}, status_code=422)
            return await response(scope, receive, send_with_request_id)
        scope[CONTEXT_SCOPE_KEY] = RequestContext(request_id=request_id, actor=actor)
        started = False

        async def tracking_send(message) -> None:
            nonlocal started
            started = True
            await send_with_request_id(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            await unexpected_error(request_id, exc)(scope, receive, send_with_request_id)
