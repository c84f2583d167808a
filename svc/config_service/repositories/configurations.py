"""SQL for the configurations table. Each write is one statement that also appends the
write's event, built by PostgreSQL from the row as stored; reads come back as JSON text."""

from psycopg2.extras import Json

from config_service.db.prepared import Prepared
from config_service.exact_json import dumps
from config_service.repositories.events import APPEND, RETURNING_HINT, STAMP_TYPES, deleted_at, hints


def _snapshot(row: str) -> str:
    """The API representation of a row, as events store it."""
    return (f"jsonb_build_object('id', {row}.id, 'application_id', {row}.application_id, "
            f"'name', {row}.name, 'comments', {row}.comments, 'config', {row}.config)")


def _body(row: str) -> str:
    """The API representation as response text (jsonb's, like `config` within it)."""
    return f"{_snapshot(row)}::text"



CREATE = Prepared("configuration_create", f"""
WITH new AS (
    INSERT INTO configurations (id, application_id, name, comments, config)
    VALUES (%(id)s, %(application_id)s, %(name)s, %(comments)s, %(config)s)
    RETURNING id, application_id, name, comments, config, version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'configuration', new.id, new.application_id, 'created', new.version,
           NULL, {_snapshot("new")}, '{{id,application_id,name,comments,config}}',
           %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM new
    {RETURNING_HINT}
)
SELECT new.version, {_body("new")} AS body, {hints("event")} FROM new
""", {"id": "text", "application_id": "text", "name": "text", "comments": "text", "config": "jsonb",
      **STAMP_TYPES})

# The row is locked first and If-Match (`versions`: the versions its tags name, NULL for
# `*` or no header) is checked against the locked row, so of racing writers holding the
# same tag one wins. No row: no such configuration. `version` NULL: If-Match failed, and
# nothing was written. changed_fields compares config as jsonb text, by type and spelling.
UPDATE = Prepared("configuration_update", f"""
WITH old AS (
    SELECT id, application_id, name, comments, config, version, deleted
      FROM configurations
     WHERE id = %(id)s
       FOR UPDATE
), new AS (
    UPDATE configurations c
       SET name = %(name)s, comments = %(comments)s, config = %(config)s, version = c.version + 1
      FROM old
     WHERE c.id = old.id AND NOT old.deleted
       AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING c.id, c.application_id, c.name, c.comments, c.config, c.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'configuration', new.id, new.application_id, 'updated', new.version,
           {_snapshot("old")}, {_snapshot("new")},
           array_remove(ARRAY[
               CASE WHEN new.name IS DISTINCT FROM old.name THEN 'name' END,
               CASE WHEN new.comments IS DISTINCT FROM old.comments THEN 'comments' END,
               CASE WHEN new.config::text <> old.config::text THEN 'config' END
           ], NULL),
           %(actor)s, %(request_id)s, %(restored_from)s, %(token_id)s
      FROM old, new
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, {deleted_at("configuration", "old")},
       {_body("new")} AS body, {hints("event")}
  FROM old LEFT JOIN new ON true
""", {"id": "text", "name": "text", "comments": "text", "config": "jsonb", "versions": "integer[]",
      "restored_from": "integer", **STAMP_TYPES})

SELECT_JSON = Prepared("configuration_json", f"""
SELECT {_body("c")} AS body, version, deleted, {deleted_at("configuration", "c")}
  FROM configurations c
 WHERE id = %(id)s
""", {"id": "text"})

# A deletion: the row locked, If-Match checked against it, marked deleted, its event appended.
DELETE = f"""
WITH old AS (
    SELECT id, application_id, name, comments, config, version, deleted
      FROM configurations WHERE id = %(id)s FOR UPDATE
), new AS (
    UPDATE configurations c SET deleted = true, version = c.version + 1
      FROM old
     WHERE c.id = old.id AND NOT old.deleted
       AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING c.id, c.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'configuration', new.id, old.application_id, 'deleted', new.version, {_snapshot("old")},
           NULL, '{{id,application_id,name,comments,config}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM old, new
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, {deleted_at("configuration", "old")},
       {hints("event")}
  FROM old LEFT JOIN new ON true
"""

# A restore: the row comes back as it was, as a new version (its application must be live,
# and its name free there).
RESTORE = f"""
WITH old AS (
    SELECT id, application_id, version, deleted FROM configurations WHERE id = %(id)s FOR UPDATE
), new AS (
    UPDATE configurations c SET deleted = false, version = c.version + 1
      FROM old
     WHERE c.id = old.id AND old.deleted
       AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING c.id, c.application_id, c.name, c.comments, c.config, c.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'configuration', new.id, new.application_id, 'restored', new.version, NULL,
           {_snapshot("new")}, '{{id,application_id,name,comments,config}}', %(actor)s, %(request_id)s, NULL,
           %(token_id)s
      FROM new
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, NULL AS deleted_at, {_body("new")} AS body,
       {hints("event")}
  FROM old LEFT JOIN new ON true
"""

APPLICATION_OF = "SELECT application_id FROM configurations WHERE id = %(id)s"


class ConfigurationsRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def create(self, id: str, application_id: str, name: str, comments: str | None, config: dict,
               stamp: dict) -> dict:
        """{version, body: the configuration as JSON text}; its event appended."""
        params = {"id": id, "application_id": application_id, "name": name, "comments": comments,
                  "config": Json(config, dumps), **stamp}
        self._cursor.run(CREATE, params)
        return self._cursor.fetchone()

    def update(self, id: str, name: str, comments: str | None, config: dict, stamp: dict,
               versions: list[int] | None = None) -> dict | None:
        """{current_version, version, body}, None when there is no such configuration;
        version None when the current version is not one of `versions`."""
        params = {"id": id, "name": name, "comments": comments, "config": Json(config, dumps),
                  "versions": versions, **stamp}
        self._cursor.run(UPDATE, params)
        return self._cursor.fetchone()

    def delete(self, id: str, stamp: dict, versions: list[int] | None = None) -> dict | None:
        """{current_version, version, deleted, deleted_at}; None when there is no such
        configuration; version None when nothing was deleted."""
        self._cursor.execute(DELETE, {"id": id, "versions": versions, **stamp})
        return self._cursor.fetchone()

    def restore(self, id: str, stamp: dict, versions: list[int] | None = None) -> dict | None:
        """As update; `deleted` False when it was not deleted."""
        self._cursor.execute(RESTORE, {"id": id, "versions": versions, **stamp})
        return self._cursor.fetchone()

    def get_json(self, id: str) -> dict | None:
        """{body: the configuration as JSON text, version, deleted, deleted_at}."""
        self._cursor.run(SELECT_JSON, {"id": id})
        return self._cursor.fetchone()

    def application_of(self, id: str) -> str | None:
        """The application a configuration belongs to (fixed at creation), None if there is none."""
        self._cursor.execute(APPLICATION_OF, {"id": id})
        row = self._cursor.fetchone()
        return row and row["application_id"]
