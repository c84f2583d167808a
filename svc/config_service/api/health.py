"""Probes for load balancers and orchestrators, outside /api/v1."""

from fastapi import APIRouter
from starlette.responses import JSONResponse

from config_service.api.dependencies import DatabaseDep
from config_service.services import health

router = APIRouter(tags=["health"])


@router.get("/health")
async def alive() -> JSONResponse:
    """The process is up; the database is not consulted."""
    return JSONResponse({"status": "ok"})


@router.get("/ready")
async def ready(db: DatabaseDep) -> JSONResponse:
    """The database answers and its schema is current: 200, else 503."""
    missing = await db.run(health.missing_migrations)
    if missing:
        return JSONResponse(
            {"detail": f"Migrations not applied: {missing}"}, status_code=503
        )
    return JSONResponse({"status": "ready"})
