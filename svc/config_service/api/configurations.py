"""Routes for /api/v1/configurations (current state; the past is in api/history.py)."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import AsOf, EntityId, context, database
from config_service.api.instants import parse_instant
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.preconditions import if_match, not_modified
from config_service.api.responses import json_text, member_location
from config_service.models import Configuration, ConfigurationIn, ConfigurationUpdate
from config_service.services import configurations, history

router = APIRouter(prefix="/configurations", tags=["configurations"], route_class=GuardedRoute)


@router.post(
    "", status_code=201, response_model=Configuration,
    responses=errors(409, 413, 422, 503), openapi_extra=body_schema(ConfigurationIn),
)
async def create_configuration(request: Request) -> Response:
    """Create a configuration in an existing application."""
    data = await read_body(request, ConfigurationIn)
    created_id, body, etag = await database(request).run(configurations.create, data, context(request))
    return json_text(body, etag, status_code=201, location=member_location(request, created_id))


@router.put(
    "/{id}", response_model=Configuration,
    responses=errors(400, 404, 409, 410, 412, 413, 422, 428, 503), openapi_extra=body_schema(ConfigurationUpdate),
)
async def update_configuration(id: EntityId, request: Request) -> Response:
    """Replace a configuration's name, comments and config (`If-Match` makes it conditional)."""
    condition = if_match(request)
    data = await read_body(request, ConfigurationUpdate)
    update = configurations.update
    body, etag = await database(request).run(update, id.upper(), data, context(request), condition)
    return json_text(body, etag)


@router.delete("/{id}", status_code=204, responses=errors(400, 404, 410, 412, 422, 428, 503))
async def delete_configuration(id: EntityId, request: Request) -> Response:
    """Delete a configuration (its `deleted` event; its history stays readable, its name is free)."""
    condition = if_match(request)
    await database(request).run(configurations.delete, id.upper(), context(request), condition)
    return Response(status_code=204)


@router.get("/{id}", response_model=Configuration, responses=errors(304, 400, 404, 410, 422, 503))
async def get_configuration(id: EntityId, request: Request, as_of: AsOf = None) -> Response:
    """One configuration; with `as_of`, as it was at that instant."""
    if as_of is not None:
        at = parse_instant(as_of)
        scope = context(request).scope
        return json_text(await database(request).run(history.as_of_json, "configuration", id.upper(), at, scope))
    body, etag = await database(request).run(configurations.get_json, id.upper(), context(request).scope)
    return not_modified(request, etag) or json_text(body, etag)
