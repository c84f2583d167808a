"""GET /api/v1/audit/export: the audit log as NDJSON, streamed (auditor and admin tokens)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import Response, StreamingResponse

from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.models import ULID_PATTERN
from config_service.services import audit_export

router = APIRouter(prefix="/audit", tags=["audit"], route_class=GuardedRoute)
NDJSON = "application/x-ndjson"


@router.get("/export", responses={200: {"content": {NDJSON: {}}}, **errors(422, 503)})
async def export_audit_log(
    request: Request,
    after: Annotated[int, Query(ge=0, le=2**62, description="only events with a higher seq")] = 0,
    application_id: Annotated[str | None, Query(pattern=ULID_PATTERN, description="only this application's")] = None,
) -> Response:
    """Every event, oldest first, one JSON object per line between a header line and a closing
    line holding the checkpoint the events lead up to; check it offline with verify_export.py."""
    settings = request.app.state.settings
    app_id = application_id.upper() if application_id else None
    chunks = audit_export.chunks(settings.database_url, settings.db_connect_timeout, after, app_id)
    first = await run_in_threadpool(next, chunks)  # an unreachable database is a 503, not a cut stream

    async def body():
        yield first
        async for chunk in iterate_in_threadpool(chunks):
            yield chunk

    headers = {"Content-Disposition": 'attachment; filename="config-events.ndjson"', "Cache-Control": "no-store"}
    return StreamingResponse(body(), media_type=NDJSON, headers=headers)
