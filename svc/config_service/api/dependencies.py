"""Annotated dependencies, so route signatures read like prose."""

from typing import Annotated

from fastapi import Depends, Path, Request

from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.db.database import Database


# async on purpose: FastAPI runs plain-def dependencies in a thread pool, an extra hop per request.
async def get_database(request: Request) -> Database:
    return request.app.state.database


async def get_context(request: Request) -> RequestContext:
    return request.scope[CONTEXT_SCOPE_KEY]


DatabaseDep = Annotated[Database, Depends(get_database)]
ContextDep = Annotated[RequestContext, Depends(get_context)]

# A ULID in Crockford base32 (any case); FastAPI cannot take the ULID type as a path parameter.
ULID_PATTERN = r"^[0-7][0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{25}$"
EntityId = Annotated[str, Path(pattern=ULID_PATTERN, description="a ULID")]
