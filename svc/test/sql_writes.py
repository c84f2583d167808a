"""Arranging rows with plain SQL, as the database demands: each row with its event."""

from psycopg2.extras import Json

from config_service.audit.events import RequestContext, build_event
from config_service.repositories import applications, configurations
from config_service.repositories.events import EventsRepository

CONTEXT = RequestContext(request_id="test-arrange", actor="test")


def _write_with_event(db, sql: str, params: dict, event: dict) -> None:
    # One string: row and event commit together (autocommit runs it as one transaction).
    with db.cursor() as cur:
        appender = EventsRepository(cur)
        appender.append(event)
        cur.execute(cur.mogrify(sql, params) + b";" + appender.take_queued())


def insert_application(db, id: str, name: str, comments: str | None = None) -> dict:
    after = {"id": id, "name": name, "comments": comments}
    _write_with_event(db, applications.INSERT, after, build_event("application", 1, None, after, CONTEXT))
    return after


def insert_configuration(db, id: str, application_id: str, name: str, config: dict | None = None) -> dict:
    after = {"id": id, "application_id": application_id, "name": name, "comments": None, "config": config or {}}
    params = {**after, "config": Json(after["config"])}
    _write_with_event(db, configurations.INSERT, params, build_event("configuration", 1, None, after, CONTEXT))
    return after


def update_application(db, before: dict, version: int, **changes) -> dict:
    """Apply `changes` to the application whose current state and version are given."""
    after = {**before, **changes}
    _write_with_event(
        db, applications.UPDATE, after, build_event("application", version + 1, before, after, CONTEXT)
    )
    return after
