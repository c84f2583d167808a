"""Conditional requests: If-Match on writes, If-None-Match on reads, ETag on answers."""

from starlette.requests import Request
from starlette.responses import Response

from config_service.audit import etags
from config_service.errors import PreconditionRequired


def _header(request: Request, name: str) -> str | None:
    values = request.headers.getlist(name)
    return ", ".join(values) if values else None


def if_match(request: Request) -> list[str] | None:
    """The If-Match tags (None when absent); 428 when REQUIRE_IF_MATCH=true and it is absent,
    400 when it cannot be parsed."""
    header = _header(request, "if-match")
    if header is None:
        if request.app.state.settings.require_if_match:
            raise PreconditionRequired()
        return None
    return etags.parse(header)


def not_modified(request: Request, etag: str) -> Response | None:
    """304 with the ETag when If-None-Match holds the current tag (or `*`), else None."""
    header = _header(request, "if-none-match")
    if header is not None and etags.none_match(etags.parse(header), etag):
        return Response(status_code=304, headers={"ETag": etag})
    return None
