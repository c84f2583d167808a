"""What the service adds to each audit event: the database builds the rest from the row
(before, after, changed_fields and version in the repositories' write statements; seq,
occurred_at and the hash chain in its append trigger)."""

from dataclasses import dataclass

from config_service.ids import new_id

# Where the request-context middleware leaves the RequestContext in the ASGI scope.
CONTEXT_SCOPE_KEY = "config_service.context"


@dataclass(frozen=True)
class RequestContext:
    """Who asked, under which request id, and what they may see; stored on every event."""

    request_id: str
    actor: str | None = None
    token_id: str | None = None  # the token that authenticated the request (API.md §11)
    scope: frozenset[str] | None = None  # the applications it may see; None: all


def stamp(context: RequestContext, restored_from: int | None = None) -> dict:
    """The event's own values for a write statement: a new event id, who asked, under
    which request id, and for a revert the version it restored."""
    return {
        "event_id": new_id(),
        "actor": context.actor,
        "request_id": context.request_id,
        "token_id": context.token_id,
        "restored_from": restored_from,
    }
