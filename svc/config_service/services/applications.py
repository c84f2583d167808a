"""Use cases for applications: each write is one unit of work with its audit event."""

from config_service.audit.events import RequestContext, build_event
from config_service.errors import NotFound
from config_service.ids import new_id
from config_service.models import ApplicationIn
from config_service.repositories.applications import snapshot
from config_service.db.unit_of_work import UnitOfWork

NOT_FOUND = "Application not found."


def create(uow: UnitOfWork, data: ApplicationIn, context: RequestContext) -> dict:
    with uow:
        uow.begin()
        after = snapshot(uow.applications.add(new_id(), data.name, data.comments))
        uow.events.append(build_event("application", 1, None, after, context))
        uow.commit()
    return after


def update(uow: UnitOfWork, id: str, data: ApplicationIn, context: RequestContext) -> dict:
    with uow:
        uow.begin()
        current = uow.applications.get_for_update(id)
        if current is None:
            raise NotFound(NOT_FOUND)
        row = uow.applications.update(id, data.name, data.comments)
        after = snapshot(row)
        uow.events.append(build_event("application", row["version"], snapshot(current), after, context))
        uow.commit()
    return after


def get_json(uow: UnitOfWork, id: str) -> str:
    with uow:
        body = uow.applications.get_json(id)
    if body is None:
        raise NotFound(NOT_FOUND)
    return body


def list_json(uow: UnitOfWork) -> str:
    with uow:
        return uow.applications.list_json()
