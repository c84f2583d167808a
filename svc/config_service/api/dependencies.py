"""Annotated dependencies, so route signatures read like prose."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.db.database import Database
from config_service.models import ULID_PATTERN


# async on purpose: FastAPI runs plain-def dependencies in a thread pool, an extra hop per request.
async def get_database(request: Request) -> Database:
    return request.app.state.database


async def get_context(request: Request) -> RequestContext:
    return request.scope[CONTEXT_SCOPE_KEY]


DatabaseDep = Annotated[Database, Depends(get_database)]
ContextDep = Annotated[RequestContext, Depends(get_context)]

EntityId = Annotated[str, Path(pattern=ULID_PATTERN, description="a ULID (either case)")]
AsOf = Annotated[
    str | None,
    Query(description="an RFC 3339 time with offset: the entity as it was at that instant", examples=["2026-11-27T15:01:43.123456Z"]),
]
