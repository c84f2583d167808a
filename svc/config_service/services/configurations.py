"""Use cases for configurations: each write is one unit of work with its audit event."""

from config_service.audit.events import RequestContext, build_event
from config_service.errors import NotFound
from config_service.ids import new_id
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.repositories.configurations import snapshot
from config_service.db.unit_of_work import UnitOfWork

NOT_FOUND = "Configuration not found."


def create(uow: UnitOfWork, data: ConfigurationIn, context: RequestContext) -> dict:
    with uow:
        uow.begin()
        row = uow.configurations.add(
            new_id(), str(data.application_id), data.name, data.comments, data.config
        )
        after = snapshot(row)
        uow.events.append(build_event("configuration", 1, None, after, context))
        uow.commit()
    return after


def update(uow: UnitOfWork, id: str, data: ConfigurationUpdate, context: RequestContext) -> dict:
    with uow:
        uow.begin()
        current = uow.configurations.get_for_update(id)
        if current is None:
            raise NotFound(NOT_FOUND)
        row = uow.configurations.update(id, data.name, data.comments, data.config)
        after = snapshot(row)
        uow.events.append(
            build_event("configuration", row["version"], snapshot(current), after, context)
        )
        uow.commit()
    return after


def get_json(uow: UnitOfWork, id: str) -> str:
    with uow:
        body = uow.configurations.get_json(id)
    if body is None:
        raise NotFound(NOT_FOUND)
    return body
