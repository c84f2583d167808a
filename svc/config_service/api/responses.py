"""Response classes: entity bodies written with their numbers exactly as stored."""

from starlette.responses import JSONResponse, Response

from config_service import exact_json


class ExactJSONResponse(JSONResponse):
    def render(self, content) -> bytes:
        return exact_json.dumps(content).encode("utf-8")


def json_text(body: str, etag: str | None = None, media_type: str = "application/json") -> Response:
    """JSON text built by PostgreSQL, sent as it is."""
    return Response(body, media_type=media_type, headers={"ETag": etag} if etag else None)
