"""Routes for /api/v1/applications (current state; the past is in api/history.py)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import AsOf, EntityId, context, database
from config_service.api.instants import parse_instant
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.preconditions import if_match, not_modified
from config_service.api.responses import ExactJSONResponse, json_text, member_location
from config_service.models import Application, ApplicationIn, ApplicationWithConfigurations
from config_service.services import applications, history

Cascade = Annotated[bool, Query(description="also delete its live configurations (one transaction)")]
router = APIRouter(prefix="/applications", tags=["applications"], route_class=GuardedRoute)


@router.post(
    "", status_code=201, response_model=Application,
    responses=errors(409, 413, 422, 503), openapi_extra=body_schema(ApplicationIn),
)
async def create_application(request: Request) -> Response:
    """Create an application; its `created` event is written in the same transaction."""
    data = await read_body(request, ApplicationIn)
    created, etag = await database(request).run(applications.create, data, context(request))
    location = member_location(request, created["id"])
    return ExactJSONResponse(created, status_code=201, headers={"Location": location, "ETag": etag})


@router.put(
    "/{id}", response_model=Application,
    responses=errors(400, 404, 409, 410, 412, 413, 422, 428, 503), openapi_extra=body_schema(ApplicationIn),
)
async def update_application(id: EntityId, request: Request) -> Response:
    """Replace an application's name and comments (`If-Match` makes it conditional)."""
    condition = if_match(request)
    data = await read_body(request, ApplicationIn)
    update = applications.update
    body, etag = await database(request).run(update, id.upper(), data, context(request), condition)
    return json_text(body, etag)


@router.delete("/{id}", status_code=204, responses=errors(400, 404, 409, 410, 412, 422, 428, 503))
async def delete_application(id: EntityId, request: Request, cascade: Cascade = False) -> Response:
    """Delete an application (its `deleted` event; its history stays readable). While it has
    live configurations: 409 listing them, unless `cascade=true` deletes them too, in the same
    transaction, each with its own event."""
    condition = if_match(request)
    await database(request).run(applications.delete, id.upper(), cascade, context(request), condition)
    return Response(status_code=204)


@router.get("/{id}", response_model=ApplicationWithConfigurations, responses=errors(304, 400, 404, 410, 422, 503))
async def get_application(id: EntityId, request: Request, as_of: AsOf = None) -> Response:
    """One application with the IDs of its configurations, oldest first; with `as_of`, as it was then."""
    if as_of is not None:
        at = parse_instant(as_of)
        scope = context(request).scope
        return json_text(await database(request).run(history.as_of_json, "application", id.upper(), at, scope))
    body, etag = await database(request).run(applications.get_json, id.upper(), context(request).scope)
    return not_modified(request, etag) or json_text(body, etag)


@router.get("", response_model=list[Application], responses=errors(422, 503))
async def list_applications(request: Request) -> Response:
    """All applications, oldest first."""
    return json_text(await database(request).run(applications.list_json, context(request).scope))
