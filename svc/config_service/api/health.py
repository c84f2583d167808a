"""Probes for load balancers and orchestrators, outside /api/v1."""

from fastapi import APIRouter, Request

from config_service.api.dependencies import database
from config_service.api.lean_route import LeanRoute
from config_service.api.openapi import errors
from config_service.api.responses import ExactJSONResponse
from config_service.services import health

router = APIRouter(tags=["health"], route_class=LeanRoute)


@router.get("/health", responses=errors(422))
async def alive() -> ExactJSONResponse:
    """The process is up; the database is not consulted."""
    return ExactJSONResponse({"status": "ok"})


@router.get("/ready", responses=errors(422, 503))
async def ready(request: Request) -> ExactJSONResponse:
    """The database answers and its schema is current: 200, else 503 (checked on a
    connection of its own, so a busy request pool does not make the instance unready)."""
    missing = health.missing_migrations(await database(request).readiness.applied_versions())
    if missing:
        return ExactJSONResponse(
            {"detail": f"Migrations not applied: {missing}"}, status_code=503
        )
    return ExactJSONResponse({"status": "ready"})
