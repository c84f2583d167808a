"""Pure ASGI middleware: the token of each /api request, turned into a principal.

Runs inside the request-context middleware (so every answer carries X-Request-ID) and
before routing: a request without a valid token is answered 401 here and reaches no
route. The principal and the actor of the request's events go on the ASGI scope; which
operations the principal may perform is decided by access/policy.py.
"""

import asyncio
import logging
import time
import unicodedata

from config_service.access import policy, token_text
from config_service.access.token_cache import MISSING, TokenCache
from config_service.api.errors import error_response
from config_service.api.responses import ExactJSONResponse
from config_service.audit.events import CONTEXT_SCOPE_KEY, RequestContext
from config_service.errors import ServiceError, Unauthorized
from config_service.services import tokens

log = logging.getLogger(__name__)
PRINCIPAL_SCOPE_KEY = "config_service.principal"
API_PREFIX = "/api/"
MAX_AUTHORIZATION_BYTES = 1024
MAX_ACTOR_LENGTH = 256
TOUCH_INTERVAL = 60.0  # seconds between two writes of a token's last_used_at
INVALID = "The token is not valid."


def actor_from(raw: bytes | None) -> str | None:
    """The X-Actor header as given (empty means absent); ValueError when it cannot be
    stored faithfully or could be displayed as another name."""
    if not raw:
        return None
    try:
        actor = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("X-Actor must be UTF-8 text") from None
    if len(actor) > MAX_ACTOR_LENGTH:
        raise ValueError(f"X-Actor must be at most {MAX_ACTOR_LENGTH} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in actor):
        raise ValueError("X-Actor must not contain control characters")
    if any(unicodedata.category(ch) == "Cf" for ch in actor):
        raise ValueError("X-Actor must not contain invisible format characters (such as U+202E)")
    return actor


def bearer_text(headers: list[bytes]) -> str:
    """The token text of the Authorization headers; Unauthorized when there is none."""
    if not headers:
        raise Unauthorized("This request needs a token: send `Authorization: Bearer <token>`.")
    if len(headers) > 1:
        raise Unauthorized("Send one Authorization header, not several.", token_sent=True)
    if len(headers[0]) > MAX_AUTHORIZATION_BYTES:
        raise Unauthorized("The Authorization header is too long to hold a token.", token_sent=True)
    scheme, _, credentials = headers[0].strip().partition(b" ")
    if scheme.lower() != b"bearer":
        raise Unauthorized("Only bearer tokens are accepted: `Authorization: Bearer <token>`.", token_sent=True)
    text = credentials.strip().decode("latin-1")
    if not text:
        raise Unauthorized("`Bearer` must be followed by a token.")
    return text


class Authenticator:
    """Token texts to principals, from the cache or (on a miss) the database; records
    each token's use at most once a minute, off the request's path."""

    def __init__(self, database, cache: TokenCache) -> None:
        self._database = database
        self._cache = cache
        self._touched: dict[str, float] = {}  # token id -> time.monotonic() of its last write
        self._tasks: set[asyncio.Task] = set()

    async def _entry(self, token_id: str):
        entry = self._cache.get(token_id)
        if entry is MISSING:
            reading = self._cache.reading()
            row = await self._database.run(tokens.credentials, token_id)
            entry = None if row is None else (row, _principal(row))
            self._cache.put(token_id, entry, reading)
        return entry

    async def principal(self, headers: list[bytes]) -> policy.Principal:
        text = bearer_text(headers)
        token_id = token_text.token_id_of(text)
        if token_id is None:
            raise Unauthorized(INVALID, token_sent=True)
        entry = await self._entry(token_id)
        if entry is None or not token_text.matches(text, entry[0]["secret_hash"]):
            raise Unauthorized(INVALID, token_sent=True)
        row, principal = entry
        now = time.time()
        if row["revoked_at"] is not None and row["revoked_at"] <= now:
            raise Unauthorized("The token has been revoked.", token_sent=True)
        if row["expires_at"] <= now:
            raise Unauthorized("The token has expired.", token_sent=True)
        self._note_use(token_id, row["last_used_at"], now)
        return principal

    def _note_use(self, token_id: str, last_used_at: float | None, now: float) -> None:
        monotonic = time.monotonic()
        touched = self._touched.get(token_id)
        if touched is None and last_used_at is not None:
            touched = monotonic - (now - last_used_at)  # as recorded, whichever worker wrote it
        if touched is not None and monotonic - touched < TOUCH_INTERVAL:
            return
        self._touched[token_id] = monotonic
        task = asyncio.get_running_loop().create_task(self._touch(token_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _touch(self, token_id: str) -> None:
        try:
            await self._database.run(tokens.touch, token_id)
        except ServiceError as exc:
            log.warning("could not record the use of token %s: %s", token_id, exc.message)


def _principal(row: dict) -> policy.Principal:
    scope = row["application_ids"]
    return policy.Principal(
        token_id=row["id"], name=row["name"], role=row["role"],
        application_ids=None if scope is None else frozenset(scope), acts_for_others=row["acts_for_others"],
    )


class Unauthenticated:
    """AUTH=off: every request is nobody in particular, allowed everything."""

    async def principal(self, headers: list[bytes]) -> policy.Principal:
        return policy.NOBODY


class AuthenticationMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            return await self.app(scope, receive, send)
        authorization, actor_raw, actors = [], None, 0
        for name, value in scope["headers"]:
            if name == b"authorization":
                authorization.append(value)
            elif name == b"x-actor":
                actor_raw, actors = value, actors + 1
        context = scope[CONTEXT_SCOPE_KEY]
        try:
            principal = await scope["app"].state.authenticator.principal(authorization)
            if actor_raw:
                policy.check_acting_for_others(principal)  # 403 before looking closer at it
                if actors > 1:
                    raise ValueError("X-Actor must be given at most once")
            actor = policy.actor_of(principal, actor_from(actor_raw))
        except ServiceError as exc:
            return await error_response(exc, context.request_id)(scope, receive, send)
        except ValueError as exc:
            return await ExactJSONResponse({"detail": str(exc)}, status_code=422)(scope, receive, send)
        scope[CONTEXT_SCOPE_KEY] = RequestContext(context.request_id, actor, principal.token_id, principal.application_ids)
        scope[PRINCIPAL_SCOPE_KEY] = principal
        await self.app(scope, receive, send)

