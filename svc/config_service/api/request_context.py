"""Pure ASGI middleware: the request id of each request, echoed and stored (the actor
is the authentication middleware's to add)."""

import re

from config_service.api.errors import unexpected_error
from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.ids import new_id
from config_service.log_format import request_id_var

MAX_REQUEST_ID_LENGTH = 128
_REQUEST_ID = re.compile(rb"[\x21-\x7e]{1,%d}" % MAX_REQUEST_ID_LENGTH)


def request_id_from(raw: bytes | None) -> str:
    """The client's X-Request-ID when it is 1-128 visible ASCII characters, else a new one."""
    if raw is not None and _REQUEST_ID.fullmatch(raw):
        return raw.decode("ascii")
    return new_id()


class RequestContextMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request_id_raw = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                request_id_raw = value
        request_id = request_id_from(request_id_raw)
        request_id_var.set(request_id)  # uvicorn runs each request in a task of its own
        header = (b"x-request-id", request_id.encode("ascii"))

        async def send_with_request_id(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), header]
            await send(message)

        scope[CONTEXT_SCOPE_KEY] = RequestContext(request_id=request_id)
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
