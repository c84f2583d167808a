"""Arranging rows with plain SQL, as the database demands: each row with its event, by
the same statements the service runs (unprepared)."""

from psycopg2.extras import Json

from config_service.audit.events import RequestContext, stamp
from config_service.repositories import applications, configurations
from test import legacy_writes

CONTEXT = RequestContext(request_id="test-arrange", actor="test")


def insert_application(db, id: str, name: str, comments: str | None = None, legacy: bool = False) -> dict:
    with db.cursor() as cur:
        sql = legacy_writes.CREATE_APPLICATION if legacy else applications.CREATE.sql
        cur.execute(sql, {"id": id, "name": name, "comments": comments, **stamp(CONTEXT)})
    return {"id": id, "name": name, "comments": comments}


def insert_configuration(db, id: str, application_id: str, name: str, config: dict | None = None) -> dict:
    after = {"id": id, "application_id": application_id, "name": name, "comments": None, "config": config or {}}
    with db.cursor() as cur:
        cur.execute(configurations.CREATE.sql, {**after, "config": Json(after["config"]), **stamp(CONTEXT)})
    return after


def update_application(db, before: dict, version: int, legacy: bool = False, **changes) -> dict:
    """Apply `changes` to the application whose current state and version are given."""
    after = {**before, **changes}
    with db.cursor() as cur:
        sql = legacy_writes.UPDATE_APPLICATION if legacy else applications.UPDATE.sql
        cur.execute(sql, {**after, "versions": [version], **stamp(CONTEXT)})
        assert cur.fetchone()["version"] == version + 1
    return after
