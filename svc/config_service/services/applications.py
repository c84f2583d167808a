"""Use cases for applications: each write is one statement that also appends its event."""

from config_service.audit import etags
from config_service.audit.events import RequestContext, stamp
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import NotFound
from config_service.ids import new_id
from config_service.models import ApplicationIn
from config_service.services.outcomes import no_such_version, versions, written
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
    return written(row, _tag, NOT_FOUND)


def revert(
    uow: UnitOfWork, id: str, version: int, context: RequestContext, if_match: list[str] | None = None
) -> tuple[str, str]:
    """A new version with the name and comments of `version`."""
    with uow:
        ensure_visible(uow, KIND, id, context.scope)
        old = uow.history.at_version(KIND, id, version)
        if old is None:
            no_such_version(uow.applications.get_json(id), if_match, KIND, _tag, NOT_FOUND, version)
        after = old["after"]
        row = uow.applications.update(id, after["name"], after["comments"], stamp(context, version), versions(if_match, KIND))
    return written(row, _tag, NOT_FOUND)


def get_json(uow: UnitOfWork, id: str, scope: frozenset[str] | None = None) -> tuple[str, str]:
    """The application as JSON text, and its ETag."""
    with uow:
        ensure_visible(uow, KIND, id, scope)
        row = uow.applications.get_json(id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row["body"], etags.application_tag(row["version"], row["configurations"])


def list_json(uow: UnitOfWork, scope: frozenset[str] | None = None) -> str:
    with uow:
        return uow.applications.list_json(None if scope is None else sorted(scope))
