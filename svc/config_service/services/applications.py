"""Use cases for applications: each write is one unit of work with its audit event."""

from config_service.audit import etags
from config_service.audit.events import RequestContext, build_event
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import NotFound, PreconditionFailed
from config_service.ids import new_id
from config_service.models import ApplicationIn
from config_service.repositories.applications import snapshot

KIND = "application"
NOT_FOUND = "Application not found."


def _tagged(row: dict) -> tuple[dict, str]:
    return snapshot(row), etags.application_tag(row["version"], row["configurations"])


def create(uow: UnitOfWork, data: ApplicationIn, context: RequestContext) -> tuple[dict, str]:
    """The new application and its ETag."""
    with uow:
        uow.begin()
        row = uow.applications.add_at_commit(new_id(), data.name, data.comments)
        uow.events.append(build_event(KIND, 1, None, snapshot(row), context))
        uow.commit()
    return _tagged(row)


def _locked(uow: UnitOfWork, id: str, if_match: list[str] | None) -> dict:
    """The row, locked; If-Match is checked under the lock, so one of N racing writers wins."""
    current = uow.applications.get_for_update(id)
    if current is None:
        raise NotFound(NOT_FOUND)
    if if_match is not None and not etags.matches_version(if_match, current["version"], KIND):
        raise PreconditionFailed(etags.application_tag(current["version"], uow.applications.count_configurations(id)))
    return current


def _write(uow, id, current, name, comments, context, restored_from=None) -> tuple[dict, str]:
    row = uow.applications.update(id, name, comments)
    event = build_event(KIND, row["version"], snapshot(current), snapshot(row), context, restored_from)
    uow.events.append(event)
    uow.commit()
    return _tagged(row)


def update(
    uow: UnitOfWork, id: str, data: ApplicationIn, context: RequestContext, if_match: list[str] | None = None
) -> tuple[dict, str]:
    with uow:
        uow.begin()
        current = _locked(uow, id, if_match)
        return _write(uow, id, current, data.name, data.comments, context)


def revert(
    uow: UnitOfWork, id: str, version: int, context: RequestContext, if_match: list[str] | None = None
) -> tuple[dict, str]:
    """A new version with the name and comments of `version`."""
    with uow:
        uow.begin()
        current = _locked(uow, id, if_match)
        old = uow.history.at_version(KIND, id, version)
        if old is None:
            raise NotFound(f"Application has no version {version}.")
        after = old["after"]
        return _write(uow, id, current, after["name"], after["comments"], context, restored_from=version)


def get_json(uow: UnitOfWork, id: str) -> tuple[str, str]:
    """The application as JSON text, and its ETag."""
    with uow:
        row = uow.applications.get_json(id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row["body"], etags.application_tag(row["version"], row["configurations"])


def list_json(uow: UnitOfWork) -> str:
    with uow:
        return uow.applications.list_json()
