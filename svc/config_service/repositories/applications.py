"""SQL for the applications table. Reads come back as JSON text built by PostgreSQL."""

INSERT = """
INSERT INTO applications (id, name, comments)
VALUES (%(id)s, %(name)s, %(comments)s)
RETURNING id, name, comments
"""

SELECT_FOR_UPDATE = """
SELECT id, name, comments, version FROM applications WHERE id = %(id)s FOR UPDATE
"""

UPDATE = """
UPDATE applications
   SET name = %(name)s, comments = %(comments)s, version = version + 1
 WHERE id = %(id)s
RETURNING id, name, comments, version
"""

SELECT_JSON = """
SELECT json_build_object(
         'id', a.id, 'name', a.name, 'comments', a.comments,
         'configuration_ids', coalesce(
           (SELECT json_agg(c.id ORDER BY c.id) FROM configurations c WHERE c.application_id = a.id),
           '[]'::json)
       )::text AS body
  FROM applications a
 WHERE a.id = %(id)s
"""

LIST_JSON = """
SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'comments', comments) ORDER BY id),
                '[]'::json)::text AS body
  FROM applications
"""

def snapshot(row: dict) -> dict:
    """The API representation stored in events (no configuration_ids)."""
    return {"id": row["id"], "name": row["name"], "comments": row["comments"]}


class ApplicationsRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def add(self, id: str, name: str, comments: str | None) -> dict:
        self._cursor.execute(INSERT, {"id": id, "name": name, "comments": comments})
        return self._cursor.fetchone()

    def get_for_update(self, id: str) -> dict | None:
        """The row with its version, locked until the transaction ends."""
        self._cursor.execute(SELECT_FOR_UPDATE, {"id": id})
        return self._cursor.fetchone()

    def update(self, id: str, name: str, comments: str | None) -> dict:
        self._cursor.execute(UPDATE, {"id": id, "name": name, "comments": comments})
        return self._cursor.fetchone()

    def get_json(self, id: str) -> str | None:
        """The application with configuration_ids, as JSON text."""
        self._cursor.execute(SELECT_JSON, {"id": id})
        row = self._cursor.fetchone()
        return row["body"] if row else None

    def list_json(self) -> str:
        """All applications, oldest first, as a JSON array."""
        self._cursor.execute(LIST_JSON)
        return self._cursor.fetchone()["body"]
