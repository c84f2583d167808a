"""/api/v1/audit (auditor and admin tokens for every application): the log as NDJSON,
streamed; the log checked a step at a time; the newest checkpoint."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.responses import Response, StreamingResponse

from config_service.api.dependencies import database
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.responses import ExactJSONResponse
from config_service.models import ULID_PATTERN
from config_service.services import audit_check, audit_export

CHECKPOINT_PATTERN = r"^[0-9]{1,18}(\.[0-9a-f]{64}|-([0-9a-f]{64}|none))$"


class Problem(BaseModel):
    seq: int | None
    entity_type: str | None
    entity_id: str | None
    problem: str


class VerifyStep(BaseModel):
    from_seq: int | None
    to_seq: int
    up_to: int
    last_seq: int
    events: int
    problems: list[Problem]
    truncated: bool
    complete: bool


class Checkpoint(BaseModel):
    checkpoint: str
    seq: int
    taken_at: str

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


@router.get("/verify", response_model=VerifyStep, responses=errors(503))
async def verify_audit_log(
    request: Request,
    after: Annotated[int | None, Query(ge=-(2**63), le=2**63 - 1,
                                       description="check the events with a higher seq: the previous step's "
                                                   "`to_seq`; none for the first step")] = None,
    up_to: Annotated[int | None, Query(ge=-(2**63), le=2**63 - 1,
                                       description="the first step's `up_to`, on every later step")] = None,
    limit: Annotated[int, Query(ge=1, le=100_000, description="at most this many events in this step")] = 10_000,
    checkpoint: Annotated[str | None, Query(pattern=CHECKPOINT_PATTERN, max_length=100,
                                            description="a string printed by `audit checkpoint`, checked on the last step")] = None,
) -> Response:
    """One step of checking the log. The first step (no `up_to`) waits for the transactions
    running as it begins and answers `up_to`, the newest seq then: no event at or below it
    can still appear. Each step checks the hashes, links and versions of the events after
    `after` up to `up_to`; when `complete`, also every row against its latest event and
    `checkpoint`. `problems` holds the first 100 found in the step (`truncated` when there
    were more); none on every step means the log is intact up to `up_to`."""
    step = await database(request).run(audit_check.verify_step, after, up_to, limit, checkpoint)
    return ExactJSONResponse(step, headers={"Cache-Control": "no-store"})


@router.get("/checkpoints/latest", response_model=Checkpoint, responses=errors(404, 503))
async def latest_checkpoint(request: Request) -> Response:
    """The newest checkpoint recorded by `audit checkpoint`; 404 when none was taken."""
    return ExactJSONResponse(await database(request).run(audit_check.latest_checkpoint),
                        headers={"Cache-Control": "no-store"})
