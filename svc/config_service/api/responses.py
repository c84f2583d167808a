"""Response classes: every JSON body of the service in one style (jsonb's, as PostgreSQL
prints the bodies it builds), numbers exactly as stored."""

from starlette.responses import JSONResponse, Response

from config_service import exact_json


class ExactJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return exact_json.dumps(content).encode("utf-8")


def json_text(
    body: str, etag: str | None = None, media_type: str = "application/json", status_code: int = 200,
    location: str | None = None, next_page: str | None = None,
) -> Response:
    """JSON text built by PostgreSQL, sent as it is; `next_page` goes in a `Link` header
    (RFC 8288), so that history and feed pages are followed alike."""
    headers = {"ETag": etag} if etag else {}
    if location is not None:
        headers["Location"] = location
    if next_page is not None:
        headers["Link"] = f'<{next_page}>; rel="next"'
    return Response(body, status_code=status_code, media_type=media_type, headers=headers)


def member_location(request, id: str) -> str:
    """Where a member created by a POST to its collection lives: the collection's path (as
    the client sent it, root path included) and the id; url_for walked every route."""
    return f"{request.scope['path']}/{id}"
