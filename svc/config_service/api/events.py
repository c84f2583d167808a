"""Routes for the change feed: pages (with long-poll) and a Server-Sent Events stream."""

import time
from urllib.parse import urlencode
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from starlette.responses import Response, StreamingResponse

from config_service.api.authentication import PRINCIPAL_SCOPE_KEY
from config_service.api.dependencies import database
from config_service.api.head_requests import HEAD_SCOPE_KEY
from config_service.api.guarded_route import GuardedRoute
from config_service.api.openapi import errors
from config_service.api.responses import json_text
from config_service.errors import DatabaseUnavailable
from config_service.models import ULID_PATTERN
from config_service.services import feed

router = APIRouter(prefix="/events", tags=["change feed"], route_class=GuardedRoute)

# `now`, or the shape of the cursors the service issues (numbers, then an 8-digit check);
# a cursor of that shape that it did not issue is refused all the same.
CURSOR_PATTERN = f"^(now|{feed.CURSOR.pattern})$"
After = Annotated[
    str | None,
    Query(description="`now`, or a cursor from `next` or an SSE `id:` (only cursors this service issued); "
                      "absent: the beginning; `now`: only what commits from now on",
          json_schema_extra={"pattern": CURSOR_PATTERN}),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="events per page")]
# At most FEED_MAX_WAIT_SECONDS (checked in list_events, declared by api/openapi.py).
Wait = Annotated[float, Query(ge=0, le=60, description="seconds to hold the request while nothing lies past the cursor")]
ApplicationId = Annotated[str | None, Query(pattern=ULID_PATTERN, description="only events of this application")]
EntityType = Annotated[
    Literal["application", "configuration", "token"] | None,
    Query(description="only this kind (token events: auditor and admin tokens only)"),
]
EntityId = Annotated[str | None, Query(pattern=ULID_PATTERN, description="only events of this entity")]
Actor = Annotated[str | None, Query(max_length=256, description="only events with this actor")]
STREAM_PAGE = 100
# While the listening connection is down, waiters look at the table this often instead.
POLL_WITHOUT_LISTENER = 1.0
# A hint can arrive before its event is readable (an older transaction is still running):
# look again after this, doubling up to the maximum.
SETTLE_FIRST, SETTLE_MAX = 0.002, 0.1


def _upper(id: str | None) -> str | None:
    return id.upper() if id else None


def _filters(request: Request, application_id, entity_type, entity_id, actor) -> feed.Filters:
    """The filters asked for, within what the request's token may see."""
    principal = request.scope[PRINCIPAL_SCOPE_KEY]
    return feed.Filters(_upper(application_id), entity_type, _upper(entity_id), actor,
                        principal.application_ids, principal.sees_token_events)


def _invalid_cursor(name: str) -> RequestValidationError:
    loc = ["header", "last-event-id"] if name == "Last-Event-ID" else ["query", name]
    return RequestValidationError([{"type": "cursor", "loc": loc, "msg": "not a cursor issued by this service"}])


def _wait_too_long(limit: float) -> RequestValidationError:
    return RequestValidationError([{"type": "less_than_equal", "loc": ["query", "wait"],
                                    "msg": f"Input should be less than or equal to {limit:g}"}])


async def _position(db, after: str | None, name: str = "after") -> feed.Position:
    if after is None:
        return feed.BEGINNING
    if after == "now":
        return await db.run(feed.now)
    try:
        return feed.decode_cursor(after)
    except ValueError:
        raise _invalid_cursor(name) from None


async def _read_page(request: Request, db, position: feed.Position, limit: int, filters: feed.Filters, since: float,
                     will_wait: bool = False) -> feed.Page:
    """The page, from a read shared with every request asking the same since `since`; no
    read at all when the request will wait anyway and the listener knows nothing lies past."""
    if will_wait and request.app.state.listener.nothing_past(position.txid, position.seq):
        return feed.Page([], [], position)
    shared = request.app.state.shared_reads
    return await shared.read((position, limit, filters), since, lambda: db.run(feed.page, position, limit, filters))


def _wait_slice(listener, seconds: float) -> float:
    return seconds if listener.connected else min(seconds, POLL_WITHOUT_LISTENER)


def _next_page(request: Request, page: feed.Page) -> str:
    """The path and query of the next page: the same request, after the new cursor."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "after"]
    query.append(("after", feed.encode_cursor(page.next)))
    return f"{request.scope['path']}?{urlencode(query)}"


class Settling:
    """How long to wait before reading again: while an announced event is not readable
    yet, briefly (doubling); otherwise until a hint or the end of `seconds`."""

    def __init__(self) -> None:
        self._delay = SETTLE_FIRST

    def slice(self, listener, watch, position: feed.Position, seconds: float) -> float:
        if not watch.announced_past(position.past):
            self._delay = SETTLE_FIRST
            return _wait_slice(listener, seconds)
        delay, self._delay = self._delay, min(self._delay * 2, SETTLE_MAX)
        return min(delay, seconds)


@router.get("", responses=errors(422, 503))
async def list_events(
    request: Request, after: After = None, limit: Limit = 100, wait: Wait = 0,
    application_id: ApplicationId = None, entity_type: EntityType = None, entity_id: EntityId = None,
    actor: Actor = None,
) -> Response:
    """Committed events past the cursor, oldest first: `{"items": [...], "next": cursor}`.

    Following `next` gives every committed event exactly once, each entity's in version
    order. With `wait`, an empty answer is held until a matching event commits."""
    if wait > request.app.state.settings.feed_max_wait_seconds:
        raise _wait_too_long(request.app.state.settings.feed_max_wait_seconds)
    filters = _filters(request, application_id, entity_type, entity_id, actor)
    db, listener = database(request), request.app.state.listener
    deadline = time.monotonic() + wait
    with listener.watch(filters.matches) as watch:  # from before the read: no wake-up is missed
        position = await _position(db, after)
        since, settling = time.monotonic(), Settling()
        while True:
            page = await _read_page(request, db, position, limit, filters, since, deadline > time.monotonic())
            remaining = deadline - time.monotonic()
            if page.items or remaining <= 0:
                return json_text(feed.page_json(page), next_page=_next_page(request, page))
            # Woken by a hint: reads started after it are shared by everyone it woke.
            wait = settling.slice(listener, watch, position, remaining)
            since = await watch.wait(wait) or time.monotonic()


@router.get("/stream", responses={200: {"content": {"text/event-stream": {}}}, **errors(422, 503)})
async def stream_events(
    request: Request, after: After = None,
    application_id: ApplicationId = None, entity_type: EntityType = None, entity_id: EntityId = None,
    actor: Actor = None,
    last_event_id: Annotated[str | None, Header(alias="Last-Event-ID", description="resume after this cursor",
                                                json_schema_extra={"pattern": CURSOR_PATTERN})] = None,
) -> Response:
    """Server-Sent Events: `event: config_event`, `id:` the cursor after the event, `data:` the
    event JSON; resumes from `Last-Event-ID` (or `after`); a `:` comment at least every
    SSE_KEEPALIVE_SECONDS. The stream ends if the database goes away: reconnect with the last id."""
    filters = _filters(request, application_id, entity_type, entity_id, actor)
    db = database(request)
    if last_event_id is not None:
        if after not in (None, "now"):
            await _position(db, after)  # not used, but refused all the same when it is no cursor
        position = await _position(db, last_event_id, "Last-Event-ID")
    else:
        position = await _position(db, after)
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    if request.scope.get(HEAD_SCOPE_KEY):
        return Response(media_type="text/event-stream", headers=headers)
    listener = request.app.state.listener
    keepalive = request.app.state.settings.sse_keepalive_seconds

    async def events():
        nonlocal position
        last_sent = since = time.monotonic()
        settling = Settling()
        with listener.watch(filters.matches) as watch:
            yield ": connected\n\n"
            while True:
                try:
                    page = await _read_page(request, db, position, STREAM_PAGE, filters, since, True)
                except DatabaseUnavailable:
                    return  # the client reconnects with its Last-Event-ID
                for body, after in zip(page.items, page.positions):
                    yield f"id: {feed.encode_cursor(after)}\nevent: config_event\ndata: {body}\n\n"
                    last_sent = time.monotonic()
                position = page.next
                since = time.monotonic()
                if len(page.items) == STREAM_PAGE:
                    continue
                quiet = keepalive - (time.monotonic() - last_sent)
                woken = await watch.wait(settling.slice(listener, watch, position, quiet)) if quiet > 0 else None
                since = woken or time.monotonic()
                if woken is None and time.monotonic() - last_sent >= keepalive:
                    yield ": keep-alive\n\n"
                    last_sent = time.monotonic()

    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
