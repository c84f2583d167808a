"""Use cases for configurations: each write is one unit of work with its audit event."""

from config_service.audit import etags
from config_service.audit.events import RequestContext, build_event
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import NotFound, PreconditionFailed
from config_service.ids import new_id
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.repositories.configurations import snapshot

KIND = "configuration"
NOT_FOUND = "Configuration not found."


def create(uow: UnitOfWork, data: ConfigurationIn, context: RequestContext) -> tuple[dict, str]:
    """The new configuration and its ETag."""
    with uow:
        uow.begin()
        row = uow.configurations.add(new_id(), data.application_id, data.name, data.comments, data.config)
        uow.events.append(build_event(KIND, 1, None, snapshot(row), context))
        uow.commit()
    return snapshot(row), etags.configuration_tag(row["version"])


def _locked(uow: UnitOfWork, id: str, if_match: list[str] | None) -> dict:
    """The row, locked; If-Match is checked under the lock, so one of N racing writers wins."""
    current = uow.configurations.get_for_update(id)
    if current is None:
        raise NotFound(NOT_FOUND)
    if if_match is not None and not etags.matches_version(if_match, current["version"], KIND):
        raise PreconditionFailed(etags.configuration_tag(current["version"]))
    return current


def _write(uow, id, current, name, comments, config, context, restored_from=None) -> tuple[dict, str]:
    row = uow.configurations.update(id, name, comments, config)
    event = build_event(KIND, row["version"], snapshot(current), snapshot(row), context, restored_from)
    uow.events.append(event)
    uow.commit()
    return snapshot(row), etags.configuration_tag(row["version"])


def update(
    uow: UnitOfWork, id: str, data: ConfigurationUpdate, context: RequestContext, if_match: list[str] | None = None
) -> tuple[dict, str]:
    with uow:
        uow.begin()
        current = _locked(uow, id, if_match)
        return _write(uow, id, current, data.name, data.comments, data.config, context)


def revert(
    uow: UnitOfWork, id: str, version: int, context: RequestContext, if_match: list[str] | None = None
) -> tuple[dict, str]:
    """A new version with the name, comments and config of `version`."""
    with uow:
        uow.begin()
        current = _locked(uow, id, if_match)
        old = uow.history.at_version(KIND, id, version)
        if old is None:
            raise NotFound(f"Configuration has no version {version}.")
        after = old["after"]
        return _write(uow, id, current, after["name"], after["comments"], after["config"], context, version)


def get_json(uow: UnitOfWork, id: str) -> tuple[str, str]:
    """The configuration as JSON text, and its ETag."""
    with uow:
        row = uow.configurations.get_json(id)
    if row is None:
        raise NotFound(NOT_FOUND)
    return row["body"], etags.configuration_tag(row["version"])
