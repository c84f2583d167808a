"""Use cases for configurations: each write is one statement that also appends its event."""

from config_service.audit import etags
from config_service.audit.events import RequestContext, stamp
from config_service.db.unit_of_work import UnitOfWork
from config_service.db.driver_errors import FOREIGN_KEY_MESSAGES
from config_service.errors import Conflict, InvalidReference, NotFound
from config_service.ids import new_id
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.services.outcomes import (
    deleted, deletion_restores_nothing, gone, no_such_version, restored, versions, written,
)
from config_service.services.visibility import ensure_visible

KIND = "configuration"
NOT_FOUND = "Configuration not found."


def _tag(version: int, row: dict) -> str:
    return etags.configuration_tag(version)


def create(uow: UnitOfWork, data: ConfigurationIn, context: RequestContext) -> tuple[str, str, str]:
    """The new configuration's id, JSON text and ETag."""
    if context.scope is not None and data.application_id not in context.scope:
        raise InvalidReference(FOREIGN_KEY_MESSAGES["configurations_application_id_fkey"])
    id = new_id()
    with uow:
        row = uow.configurations.create(id, data.application_id, data.name, data.comments, data.config, stamp(context))
    return id, row["body"], etags.configuration_tag(row["version"])


def update(
    uow: UnitOfWork, id: str, data: ConfigurationUpdate, context: RequestContext, if_match: list[str] | None = None
) -> tuple[str, str]:
    """The configuration as JSON text, and its ETag."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        row = uow.configurations.update(
            id, data.name, data.comments, data.config, stamp(context), versions(if_match, KIND)
        )
    return written(row, _tag, NOT_FOUND, KIND)


def revert(
    uow: UnitOfWork, id: str, version: int, context: RequestContext, if_match: list[str] | None = None
) -> tuple[str, str]:
    """A new version with the name, comments and config of `version`."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        old = uow.history.at_version(KIND, id, version)
        if old is None:
            no_such_version(uow.configurations.get_json(id), if_match, KIND, _tag, NOT_FOUND, version)
        after = deletion_restores_nothing(old, version)
        row = uow.configurations.update(
            id, after["name"], after["comments"], after["config"], stamp(context, version), versions(if_match, KIND)
        )
    return written(row, _tag, NOT_FOUND, KIND)


def get_json(uow: UnitOfWork, id: str, scope: frozenset[str] | None = None) -> tuple[str, str]:
    """The configuration as JSON text, and its ETag."""
    with uow:
        ensure_visible(uow, KIND, id, scope)
        row = uow.configurations.get_json(id)
    if row is None:
        raise NotFound(NOT_FOUND)
    if row["deleted"]:
        raise gone(row, _tag, KIND)
    return row["body"], etags.configuration_tag(row["version"])


def delete(uow: UnitOfWork, id: str, context: RequestContext, if_match: list[str] | None = None) -> None:
    """Mark it deleted, with its `deleted` event."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        row = uow.configurations.delete(id, stamp(context), versions(if_match, KIND))
    deleted(row, _tag, NOT_FOUND, KIND)


def restore(uow: UnitOfWork, id: str, context: RequestContext, if_match: list[str] | None = None) -> tuple[str, str]:
    """The configuration as it was before its deletion, as a new version; Conflict when it
    is not deleted, its name is taken now, or its application is deleted."""
    try:
        with uow:
            ensure_visible(uow, KIND, id, context.scope)
            row = uow.configurations.restore(id, stamp(context), versions(if_match, KIND))
    except InvalidReference:  # raised by the database for a deleted application
        raise Conflict("The configuration's application is deleted: restore the application first.") from None
    return restored(row, _tag, NOT_FOUND, KIND)
