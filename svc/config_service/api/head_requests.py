"""Pure ASGI middleware: HEAD is answered wherever GET is, with the headers and no body."""


# Set in the scope of a HEAD request answered as GET, for routes whose body never ends.
HEAD_SCOPE_KEY = "config_service.head"


class HeadAsGetMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def send_without_body(message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET", HEAD_SCOPE_KEY: True}, receive, send_without_body)
