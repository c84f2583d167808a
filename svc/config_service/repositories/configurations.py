"""SQL for the configurations table. Reads come back as JSON text built by PostgreSQL."""

from psycopg2.extras import Json

from config_service.exact_json import dumps

INSERT = """
INSERT INTO configurations (id, application_id, name, comments, config)
VALUES (%(id)s, %(application_id)s, %(name)s, %(comments)s, %(config)s)
RETURNING id, application_id, name, comments, config, version
"""

SELECT_FOR_UPDATE = """
SELECT id, application_id, name, comments, config, version
  FROM configurations
 WHERE id = %(id)s
   FOR UPDATE
"""

UPDATE = """
UPDATE configurations
   SET name = %(name)s, comments = %(comments)s, config = %(config)s, version = version + 1
 WHERE id = %(id)s
RETURNING id, application_id, name, comments, config, version
"""

SELECT_JSON = """
SELECT json_build_object(
         'id', id, 'application_id', application_id, 'name', name,
         'comments', comments, 'config', config
       )::text AS body,
       version
  FROM configurations
 WHERE id = %(id)s
"""


def snapshot(row: dict) -> dict:
    """The API representation, as stored in events."""
    return {
        "id": row["id"],
        "application_id": row["application_id"],
        "name": row["name"],
        "comments": row["comments"],
        "config": row["config"],
    }


class ConfigurationsRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def add(self, id: str, application_id: str, name: str, comments: str | None, config: dict) -> dict:
        params = {
            "id": id,
            "application_id": application_id,
            "name": name,
            "comments": comments,
            "config": Json(config, dumps),
        }
        self._cursor.execute(INSERT, params)
        return self._cursor.fetchone()

    def get_for_update(self, id: str) -> dict | None:
        """The row with its version, locked until the transaction ends."""
        self._cursor.execute(SELECT_FOR_UPDATE, {"id": id})
        return self._cursor.fetchone()

    def update(self, id: str, name: str, comments: str | None, config: dict) -> dict:
        params = {"id": id, "name": name, "comments": comments, "config": Json(config, dumps)}
        self._cursor.execute(UPDATE, params)
        return self._cursor.fetchone()

    def get_json(self, id: str) -> dict | None:
        """{body: the configuration as JSON text, version}."""
        self._cursor.execute(SELECT_JSON, {"id": id})
        return self._cursor.fetchone()
