"""Pure ASGI middleware: bodies over the limit get 413, counted while reading."""

from fastapi import HTTPException

from config_service.api.responses import ExactJSONResponse


def too_large(limit: int) -> str:
    return f"Request body is larger than {limit} bytes."


class BodyLimitMiddleware:
    def __init__(self, app, max_body_bytes: int) -> None:
        self.app = app
        self.limit = max_body_bytes

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    response = ExactJSONResponse({"detail": "Invalid Content-Length header."}, 400)
                    return await response(scope, receive, send)
                if int(value) > self.limit:
                    # Refused before reading a byte of the body.
                    return await ExactJSONResponse({"detail": too_large(self.limit)}, 413)(scope, receive, send)
                break
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, too_large(self.limit))
            return message

        await self.app(scope, counting_receive, send)
