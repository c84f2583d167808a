"""Routes for /api/v1/applications."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import ContextDep, DatabaseDep, EntityId
from config_service.api.openapi import errors
from config_service.api.responses import ExactJSONResponse
from config_service.models import Application, ApplicationIn, ApplicationWithConfigurations
from config_service.services import applications

router = APIRouter(prefix="/applications", tags=["applications"])


@router.post(
    "", status_code=201, responses=errors(409, 413, 422, 503), response_model=Application, openapi_extra=body_schema(ApplicationIn)
)
async def create_application(request: Request, db: DatabaseDep, context: ContextDep) -> Response:
    """Create an application; its `created` event is written in the same transaction."""
    data = await read_body(request, ApplicationIn)
    created = await db.run(applications.create, data, context)
    location = request.url_for("get_application", id=created["id"]).path
    return ExactJSONResponse(created, status_code=201, headers={"Location": location})


@router.put(
    "/{id}", responses=errors(404, 409, 413, 422, 503), response_model=Application, openapi_extra=body_schema(ApplicationIn)
)
async def update_application(id: EntityId, request: Request, db: DatabaseDep, context: ContextDep) -> Response:
    """Replace an application's name and comments."""
    data = await read_body(request, ApplicationIn)
    return ExactJSONResponse(await db.run(applications.update, id.upper(), data, context))


@router.get("/{id}", responses=errors(404, 422, 503), response_model=ApplicationWithConfigurations)
async def get_application(id: EntityId, db: DatabaseDep) -> Response:
    """One application with the IDs of its configurations, oldest first."""
    return Response(await db.run(applications.get_json, id.upper()), media_type="application/json")


@router.get("", responses=errors(422, 503), response_model=list[Application])
async def list_applications(db: DatabaseDep) -> Response:
    """All applications, oldest first."""
    return Response(await db.run(applications.list_json), media_type="application/json")
