"""Maps domain errors to HTTP, in one place. Every error body is JSON with `detail`."""

import logging

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from config_service.api.responses import ExactJSONResponse
from config_service.audit.events import CONTEXT_SCOPE_KEY
from config_service.errors import (
    AlreadyExists,
    BadPrecondition,
    Conflict,
    DatabaseUnavailable,
    Forbidden,
    Gone,
    HistoryInconsistent,
    InvalidReference,
    InvalidValue,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    ServiceError,
    Unauthorized,
)

log = logging.getLogger(__name__)

STATUS = {
    BadPrecondition: 400,
    Unauthorized: 401,
    Forbidden: 403,
    Conflict: 409,
    Gone: 410,
    NotFound: 404,
    AlreadyExists: 409,
    HistoryInconsistent: 409,
    PreconditionFailed: 412,
    InvalidReference: 422,
    InvalidValue: 422,
    PreconditionRequired: 428,
    DatabaseUnavailable: 503,
}
RETRY_AFTER_SECONDS = "1"


def status_for(error: ServiceError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def www_authenticate(exc: Unauthorized) -> str:
    """RFC 6750: the scheme, and `invalid_token` when a token was sent."""
    return 'Bearer error="invalid_token"' if exc.token_sent else "Bearer"


def error_response(exc: ServiceError, request_id: str | None) -> ExactJSONResponse:
    """The JSON answer for a domain error, with the headers its status needs."""
    status = status_for(exc)
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else None
    if isinstance(exc, (PreconditionFailed, Gone)):
        headers = {"ETag": exc.etag}
    if isinstance(exc, Unauthorized):
        headers = {"WWW-Authenticate": www_authenticate(exc)}
    if status == 503:
        log.warning("request %s: %s (%r)", request_id, exc.message, exc.__cause__)
    return ExactJSONResponse({"detail": exc.message}, status_code=status, headers=headers)


def _request_id(request: Request) -> str | None:
    context = request.scope.get(CONTEXT_SCOPE_KEY)
    return context.request_id if context else None


async def service_error(request: Request, exc: ServiceError) -> ExactJSONResponse:
    return error_response(exc, _request_id(request))


async def validation_error(request: Request, exc: RequestValidationError) -> ExactJSONResponse:
    errors = [
        {key: error[key] for key in ("type", "loc", "msg") if key in error} for error in exc.errors()
    ]
    return ExactJSONResponse({"detail": jsonable_encoder(errors)}, status_code=422)


def unexpected_error(request_id: str, exc: BaseException) -> ExactJSONResponse:
    """A 500 that shows no internals; the traceback goes to the log with the request id."""
    log.error("request %s failed unexpectedly", request_id, exc_info=exc)
    return ExactJSONResponse({"detail": "Internal server error."}, status_code=500)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """Starlette's errors as JSON; a 405's `Allow` lists every method served at the path
    (RFC 9110), not only those of the first route that matched it."""
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope["path"]))
    if exc.status_code in (204, 304):
        return Response(status_code=exc.status_code, headers=headers)
    return ExactJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


def allowed_methods(app, path: str) -> list[str]:
    methods = set()
    for route in app.routes:
        if getattr(route, "methods", None) and route.path_regex.match(path):
            methods |= route.methods
    if "GET" in methods:
        methods.add("HEAD")  # answered wherever GET is (api/head_requests.py)
    return sorted(methods)


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, validation_error)
