"""/ui: the web page for people, static files served with ETags and a strict policy.

The page is plain HTML, CSS and JavaScript modules from config_service/ui, talking only to
the public /api/v1 with the user's token. Nothing here is on the API's request path: the
mount is the last route tried, and the files need no token (the API calls they make do).
"""

from pathlib import Path

from fastapi import FastAPI
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

UI_DIR = Path(__file__).resolve().parent.parent / "ui"
# No inline script or style, nothing from another origin, no framing, no form posts.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",  # always revalidated, so a new release is seen at once (304 otherwise)
}


class PageFiles(StaticFiles):
    """Starlette's static files (ETag, Last-Modified, 304 on If-None-Match) with the page's headers."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


async def to_page(_request) -> Response:
    # A relative Location: never built from the client's Host header.
    return RedirectResponse("/ui/", status_code=308)


def install(app: FastAPI) -> None:
    app.router.routes.append(Route("/ui", to_page, methods=["GET", "HEAD"], include_in_schema=False))
    app.router.routes.append(Mount("/ui", app=PageFiles(directory=UI_DIR, html=True), name="ui"))
