"""Use cases for applications: each write is one statement that also appends its event."""

from config_service.audit import etags
from config_service.audit.events import RequestContext, stamp
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import Conflict, NotFound, PreconditionFailed
from config_service.ids import new_id
from config_service.models import ApplicationIn
from config_service.services.outcomes import (
    deleted, deletion_restores_nothing, gone, no_such_version, restored, versions, written,
)
from config_service.services.visibility import ensure_visible

KIND = "application"
NOT_FOUND = "Application not found."


def _tag(version: int, row: dict) -> str:
    return etags.application_tag(version, row["configurations"])


def create(uow: UnitOfWork, data: ApplicationIn, context: RequestContext) -> tuple[dict, str]:
    """The new application and its ETag."""
    id = new_id()
    with uow:
        uow.applications.create(id, data.name, data.comments, stamp(context))
    return {"id": id, "name": data.name, "comments": data.comments}, etags.application_tag(1, 0)


def update(
    uow: UnitOfWork, id: str, data: ApplicationIn, context: RequestContext, if_match: list[str] | None = None
) -> tuple[str, str]:
    """The application as JSON text (without configuration_ids), and its ETag."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        row = uow.applications.update(id, data.name, data.comments, stamp(context), versions(if_match, KIND))
    return written(row, _tag, NOT_FOUND, KIND)


def revert(
    uow: UnitOfWork, id: str, version: int, context: RequestContext, if_match: list[str] | None = None
) -> tuple[str, str]:
    """A new version with the name and comments of `version`."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        old = uow.history.at_version(KIND, id, version)
        if old is None:
            no_such_version(uow.applications.get_json(id), if_match, KIND, _tag, NOT_FOUND, version)
        after = deletion_restores_nothing(old, version)
        row = uow.applications.update(id, after["name"], after["comments"], stamp(context, version), versions(if_match, KIND))
    return written(row, _tag, NOT_FOUND, KIND)


def get_json(uow: UnitOfWork, id: str, scope: frozenset[str] | None = None) -> tuple[str, str]:
    """The application as JSON text, and its ETag."""
    with uow:
        ensure_visible(uow, KIND, id, scope)
        row = uow.applications.get_json(id)
    if row is None:
        raise NotFound(NOT_FOUND)
    if row["deleted"]:
        raise gone(row, _tag, KIND)
    return row["body"], etags.application_tag(row["version"], row["configurations"])


# Event ids made beyond the live configurations counted before a cascade, for those created
# meanwhile (more than that: the deletion fails whole, never partly).
SPARE_EVENT_IDS = 16


def delete(uow: UnitOfWork, id: str, cascade: bool, context: RequestContext,
           if_match: list[str] | None = None) -> None:
    """Mark it deleted with its `deleted` event; with `cascade`, each live configuration first,
    each with its own, all in one statement. Conflict (with their ids) while it has live
    configurations and `cascade` is false."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        count = uow.applications.live_configurations(id) if cascade else 0
        event_ids = [new_id() for _ in range(count + SPARE_EVENT_IDS)] if cascade else []
        accepted = versions(if_match, KIND)
        row = uow.applications.delete(id, cascade, stamp(context), event_ids, accepted)
    if row is None or row["deleted"]:
        deleted(row, _tag, NOT_FOUND, KIND)  # not found, or deleted before
    if row["version"] is None:
        if accepted is not None and row["current_version"] not in accepted:
            raise PreconditionFailed(_tag(row["current_version"], row))
        ids = ", ".join(row["live_configurations"])
        raise Conflict(f"The application has live configurations ({ids}): delete them first, or use ?cascade=true.")


def restore(uow: UnitOfWork, id: str, context: RequestContext, if_match: list[str] | None = None) -> tuple[str, str]:
    """The application as it was before its deletion, as a new version (its configurations
    stay deleted); Conflict when it is not deleted or its name is taken now."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        row = uow.applications.restore(id, stamp(context), versions(if_match, KIND))
    return restored(row, _tag, NOT_FOUND, KIND)


def list_json(uow: UnitOfWork, scope: frozenset[str] | None = None) -> str:
    with uow:
        return uow.applications.list_json(None if scope is None else sorted(scope))
