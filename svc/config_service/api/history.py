"""Routes for the past of applications and configurations: history, versions, diffs, revert."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import EntityId, context, database
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.preconditions import if_match
from config_service.api.responses import json_text
from config_service.models import Application, Configuration, RevertIn
from config_service.services import applications, configurations, history

MAX_VERSION = 2_147_483_647
Version = Annotated[int, Path(ge=1, le=MAX_VERSION, description="a version number (1 is the creation)")]
Limit = Annotated[int, Query(ge=1, le=1000, description="events per page")]
BeforeVersion = Annotated[
    int | None, Query(ge=1, le=MAX_VERSION, description="only versions below this one (from `next`)")
]
FromVersion = Annotated[int, Query(alias="from", ge=1, le=MAX_VERSION, description="the version to start from")]
ToVersion = Annotated[int | None, Query(ge=1, le=MAX_VERSION, description="the target version (default: current)")]

JSON_PATCH = "application/json-patch+json"
USE_CASES = {"application": applications, "configuration": configurations}
MODELS = {"application": Application, "configuration": Configuration}


def router_for(kind: str) -> APIRouter:
    """The four history routes of one kind, under /applications or /configurations."""
    router = APIRouter(prefix=f"/{kind}s", tags=[f"{kind}s: history"], route_class=GuardedRoute)
    writes = USE_CASES[kind]

    @router.get("/{id}/history", responses=errors(404, 422, 503), name=f"{kind}_history")
    async def get_history(id: EntityId, request: Request, limit: Limit = 100, before_version: BeforeVersion = None):
        """A page of the events, newest first: `{"items": [...], "next": path of the next page or null}`."""
        scope = context(request).scope
        page = history.page_json
        body, next_page = await database(request).run(page, kind, id.upper(), limit, before_version, scope)
        return json_text(body, next_page=next_page)

    @router.get("/{id}/versions/{version}", responses=errors(404, 410, 422, 503), name=f"{kind}_version")
    async def get_version(id: EntityId, version: Version, request: Request):
        """The entity as it was at that version (the `after` of its event)."""
        scope = context(request).scope
        return json_text(await database(request).run(history.version_json, kind, id.upper(), version, scope))

    @router.get(
        "/{id}/diff", responses={200: {"content": {JSON_PATCH: {}}}, **errors(404, 410, 422, 503)}, name=f"{kind}_diff"
    )
    async def get_diff(id: EntityId, request: Request, from_version: FromVersion, to: ToVersion = None):
        """An RFC 6902 JSON Patch (add, remove, replace) turning version `from` into version `to`."""
        scope = context(request).scope
        patch = await database(request).run(history.diff_json, kind, id.upper(), from_version, to, scope)
        return json_text(patch, media_type=JSON_PATCH)

    @router.post(
        "/{id}/revert", responses=errors(400, 404, 409, 410, 412, 413, 422, 428, 503),
        openapi_extra=body_schema(RevertIn), name=f"{kind}_revert",
    )
    async def revert(id: EntityId, request: Request) -> Response:
        """Restore the fields of `version` as a new version (event `updated`, `restored_from` = version)."""
        condition = if_match(request)
        data = await read_body(request, RevertIn)
        db, who = database(request), context(request)
        body, etag = await db.run(writes.revert, id.upper(), data.version, who, condition)
        return json_text(body, etag)

    @router.post(
        "/{id}/restore", response_model=MODELS[kind], responses=errors(400, 404, 409, 412, 413, 422, 428, 503),
        name=f"{kind}_restore",
    )
    async def restore(id: EntityId, request: Request) -> Response:
        """Bring a deleted entity back as it was before its deletion, as a new version (event
        `restored`); `If-Match` takes the tag of its deletion (the 410's `ETag`)."""
        condition = if_match(request)
        body, etag = await database(request).run(writes.restore, id.upper(), context(request), condition)
        return json_text(body, etag)

    return router


routers = [router_for("application"), router_for("configuration")]
