"""What routes take from the request: the database seam, the request context, typed params.

Plain functions rather than FastAPI dependencies: resolving dependencies costs FastAPI
several introspection calls per request, on every hot route.
"""

from typing import Annotated

from fastapi import Path, Query, Request

from config_service.api.instants import INSTANT_SCHEMA
from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.db.database import Database
from config_service.models import ULID_PATTERN


def database(request: Request) -> Database:
    return request.app.state.database


def context(request: Request) -> RequestContext:
    """Who asks and under which request id (set by the request-context middleware)."""
    return request.scope[CONTEXT_SCOPE_KEY]


EntityId = Annotated[str, Path(pattern=ULID_PATTERN, description="a ULID (either case)")]
AsOf = Annotated[
    str | None,
    Query(
        description="an RFC 3339 time with offset: the entity as it was at that instant",
        examples=["2026-11-27T15:01:43.123456Z"],
        json_schema_extra={"format": INSTANT_SCHEMA["format"], "pattern": INSTANT_SCHEMA["pattern"]},
    ),
]
