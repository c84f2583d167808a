"""Routes for /api/v1/tokens: managing API tokens (admin), reading them (admin, auditor),
and a token's own fields (any token). A token's text appears in one answer only: the
one that created it."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from config_service.api.authentication import PRINCIPAL_SCOPE_KEY
from config_service.api.bodies import body_schema, read_body
from config_service.api.dependencies import EntityId, context, database
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.responses import ExactJSONResponse
from config_service.errors import NotFound
from config_service.models import RotateIn, Token, TokenCreated, TokenIn
from config_service.services import tokens

router = APIRouter(prefix="/tokens", tags=["tokens"], route_class=GuardedRoute)
NO_STORE = {"Cache-Control": "no-store"}  # an answer holding a token's text is never cached


def _created(fields: dict, collection: str) -> Response:
    headers = {"Location": f"{collection}/{fields['id']}", **NO_STORE}
    return ExactJSONResponse(fields, status_code=201, headers=headers)


@router.post("", status_code=201, response_model=TokenCreated, responses=errors(413, 422, 503),
             openapi_extra=body_schema(TokenIn))
async def create_token(request: Request) -> Response:
    """Create a token; its text is in this answer (`token`) and never shown again."""
    data = await read_body(request, TokenIn)
    fields = await database(request).run(tokens.create, data, context(request))
    return _created(fields, request.scope["path"])


@router.get("", response_model=list[Token], responses=errors(503))
async def list_tokens(request: Request) -> Response:
    """Every token, oldest first (never a text or a hash)."""
    return ExactJSONResponse(await database(request).run(tokens.list_all))


@router.get("/self", response_model=Token, responses=errors(503))
async def get_own_token(request: Request) -> Response:
    """The fields of the token that authenticated this request."""
    principal = request.scope[PRINCIPAL_SCOPE_KEY]
    if principal.token_id is None:
        raise NotFound("No token authenticated this request (AUTH=off).")
    return ExactJSONResponse(await database(request).run(tokens.get, principal.token_id))


@router.get("/{id}", response_model=Token, responses=errors(404, 422, 503))
async def get_token(id: EntityId, request: Request) -> Response:
    """One token's fields."""
    return ExactJSONResponse(await database(request).run(tokens.get, id.upper()))


@router.post("/{id}/revoke", response_model=Token, responses=errors(404, 409, 413, 422, 503))
async def revoke_token(id: EntityId, request: Request) -> Response:
    """Revoke a token now (also one still in a rotation's grace period): every worker
    refuses it within a second."""
    return ExactJSONResponse(await database(request).run(tokens.revoke, id.upper(), context(request)))


@router.post("/{id}/rotate", status_code=201, response_model=TokenCreated,
             responses=errors(404, 409, 413, 422, 503), openapi_extra=body_schema(RotateIn))
async def rotate_token(id: EntityId, request: Request) -> Response:
    """A new token with the same name, role and scope (its text in this answer only); the
    old one keeps working for `grace_seconds`, then is refused."""
    body = await request.body()
    data = await read_body(request, RotateIn) if body.strip() else RotateIn()
    fields = await database(request).run(tokens.rotate, id.upper(), data.grace_seconds, context(request))
    return _created(fields, request.scope["path"].rsplit("/", 2)[0])
