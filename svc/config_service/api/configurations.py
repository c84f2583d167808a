"""Routes for /api/v1/configurations."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import ContextDep, DatabaseDep, EntityId
from config_service.api.openapi import errors
from config_service.api.responses import ExactJSONResponse
from config_service.models import Configuration, ConfigurationIn, ConfigurationUpdate
from config_service.services import configurations

router = APIRouter(prefix="/configurations", tags=["configurations"])


@router.post(
    "", status_code=201, responses=errors(409, 413, 422, 503), response_model=Configuration, openapi_extra=body_schema(ConfigurationIn)
)
async def create_configuration(request: Request, db: DatabaseDep, context: ContextDep) -> Response:
    """Create a configuration in an existing application."""
    data = await read_body(request, ConfigurationIn)
    created = await db.run(configurations.create, data, context)
    location = request.url_for("get_configuration", id=created["id"]).path
    return ExactJSONResponse(created, status_code=201, headers={"Location": location})


@router.put(
    "/{id}", responses=errors(404, 409, 413, 422, 503), response_model=Configuration, openapi_extra=body_schema(ConfigurationUpdate)
)
async def update_configuration(id: EntityId, request: Request, db: DatabaseDep, context: ContextDep) -> Response:
    """Replace a configuration's name, comments and config."""
    data = await read_body(request, ConfigurationUpdate)
    return ExactJSONResponse(await db.run(configurations.update, id.upper(), data, context))


@router.get("/{id}", responses=errors(404, 422, 503), response_model=Configuration)
async def get_configuration(id: EntityId, db: DatabaseDep) -> Response:
    """One configuration."""
    return Response(await db.run(configurations.get_json, id.upper()), media_type="application/json")
