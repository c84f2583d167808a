"""A token's scope, applied: an entity outside it is answered as one that does not exist."""

from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import NotFound

NOT_FOUND = {"application": "Application not found.", "configuration": "Configuration not found."}


def visible(uow: UnitOfWork, kind: str, id: str, scope: frozenset[str] | None) -> bool:
    """Whether an entity is inside `scope` (None: every application); one that does not
    exist is inside no scope but the unlimited one."""
    if scope is None:
        return True
    if kind == "application":
        return id in scope
    return uow.configurations.application_of(id) in scope


def ensure_visible(uow: UnitOfWork, kind: str, id: str, scope: frozenset[str] | None) -> None:
    """NotFound, worded as for a missing entity, when it lies outside `scope`."""
    if not visible(uow, kind, id, scope):
        raise NotFound(NOT_FOUND[kind])
