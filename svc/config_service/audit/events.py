"""The one rule for audit events: what a create or an update appends to config_events."""

from dataclasses import dataclass

from config_service import exact_json
from config_service.ids import new_id


# Where the request-context middleware leaves the RequestContext in the ASGI scope.
CONTEXT_SCOPE_KEY = "config_service.context"


_ABSENT = object()


@dataclass(frozen=True)
class RequestContext:
    """Who asked, and under which request id; stored on every event."""

    request_id: str
    actor: str | None = None


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """Top-level fields whose value differs; every field of `after` on creation."""
    if before is None:
        return list(after)
    names = list(after) + [name for name in before if name not in after]
    return [name for name in names if not exact_json.same(before.get(name, _ABSENT), after.get(name, _ABSENT))]


def build_event(
    entity_type: str,
    version: int,
    before: dict | None,
    after: dict,
    context: RequestContext,
    restored_from: int | None = None,
) -> dict:
    """The config_events row for one write (version 1 is the creation; a revert names
    the version it restored)."""
    return {
        "id": new_id(),
        "entity_type": entity_type,
        "entity_id": after["id"],
        "application_id": after["id"] if entity_type == "application" else after["application_id"],
        "action": "created" if before is None else "updated",
        "version": version,
        "before": before,
        "after": after,
        "changed_fields": changed_fields(before, after),
        "actor": context.actor,
        "request_id": context.request_id,
        "restored_from": restored_from,
    }
