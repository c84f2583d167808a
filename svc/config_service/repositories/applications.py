"""SQL for the applications table. Each write is one statement that also appends the
write's event, built by PostgreSQL from the row as stored; reads come back as JSON text."""

import threading

from config_service.db.prepared import Prepared
from config_service.repositories.events import APPEND, STAMP_TYPES


def _snapshot(row: str) -> str:
    """The API representation of a row, as events store it (no configuration_ids)."""
    return f"jsonb_build_object('id', {row}.id, 'name', {row}.name, 'comments', {row}.comments)"


CREATE = Prepared("application_create", f"""
WITH new AS (
    INSERT INTO applications (id, name, comments)
    VALUES (%(id)s, %(name)s, %(comments)s)
    RETURNING id, name, comments, version
)
{APPEND}
SELECT %(event_id)s, 'application', new.id, new.id, 'created', new.version,
       NULL, {_snapshot("new")}, '{{id,name,comments}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
  FROM new
""", {"id": "text", "name": "text", "comments": "text", **STAMP_TYPES})

# As configurations.UPDATE: lock, If-Match against the locked row (`versions` NULL for
# any), update, append. No row: no such application; `version` NULL: If-Match failed.
UPDATE = Prepared("application_update", f"""
WITH old AS (
    SELECT id, name, comments, version
      FROM applications
     WHERE id = %(id)s
       FOR UPDATE
), new AS (
    UPDATE applications a
       SET name = %(name)s, comments = %(comments)s, version = a.version + 1
      FROM old
     WHERE a.id = old.id AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING a.id, a.name, a.comments, a.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'application', new.id, new.id, 'updated', new.version,
           {_snapshot("old")}, {_snapshot("new")},
           array_remove(ARRAY[
               CASE WHEN new.name IS DISTINCT FROM old.name THEN 'name' END,
               CASE WHEN new.comments IS DISTINCT FROM old.comments THEN 'comments' END
           ], NULL),
           %(actor)s, %(request_id)s, %(restored_from)s, %(token_id)s
      FROM old, new
)
SELECT old.version AS current_version, new.version,
       json_build_object('id', new.id, 'name', new.name, 'comments', new.comments)::text AS body,
       (SELECT count(*) FROM configurations c WHERE c.application_id = old.id) AS configurations
  FROM old LEFT JOIN new ON true
""", {"id": "text", "name": "text", "comments": "text", "versions": "integer[]",
      "restored_from": "integer", **STAMP_TYPES})

SELECT_JSON = Prepared("application_json", """
SELECT json_build_object(
         'id', a.id, 'name', a.name, 'comments', a.comments,
         'configuration_ids', coalesce(ids.list, '[]'::json)
       )::text AS body,
       a.version, coalesce(ids.n, 0) AS configurations
  FROM applications a
  LEFT JOIN LATERAL (
       SELECT json_agg(c.id ORDER BY c.id) AS list, count(*) AS n
         FROM configurations c WHERE c.application_id = a.id
       ) ids ON true
 WHERE a.id = %(id)s
""", {"id": "text"})

# The list is large (10,000 applications: 0.8 MB, ~7 ms to build) and changes rarely, so
# each process keeps the last body with a stamp of the table. Every insert and update of a
# row gives it the xmin of a newer transaction, so (count, sum of xmin) changes with any
# visible change (there are no deletes).
LIST_STAMP = """
SELECT count(*) AS n, coalesce(sum(xmin::text::bigint), 0) AS s FROM applications
"""

LIST_JSON_WITH_STAMP = """
SELECT count(*) AS n, coalesce(sum(xmin::text::bigint), 0) AS s,
       coalesce(json_agg(json_build_object('id', id, 'name', name, 'comments', comments) ORDER BY id),
                '[]'::json)::text AS body
  FROM applications
"""

# A scoped token's list: small, never cached.
LIST_JSON_IN_SCOPE = """
SELECT coalesce(json_agg(json_build_object('id', id, 'name', name, 'comments', comments) ORDER BY id),
                '[]'::json)::text AS body
  FROM applications
 WHERE id = ANY(%(scope)s)
"""


class ListCache:
    """The last list body and the stamp it was built under, shared by one process's requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._body: str | None = None

    def get(self, stamp: tuple[int, int]) -> str | None:
        with self._lock:
            return self._body if stamp == self._stamp else None

    def put(self, stamp: tuple[int, int], body: str) -> None:
        with self._lock:
            self._stamp, self._body = stamp, body


class ApplicationsRepository:
    def __init__(self, cursor, list_cache: ListCache | None = None) -> None:
        self._cursor = cursor
        self._list_cache = list_cache or ListCache()

    def create(self, id: str, name: str, comments: str | None, stamp: dict) -> None:
        """Insert the application and its event (a taken name: UniqueViolation)."""
        self._cursor.run(CREATE, {"id": id, "name": name, "comments": comments, **stamp})

    def update(self, id: str, name: str, comments: str | None, stamp: dict,
               versions: list[int] | None = None) -> dict | None:
        """{current_version, version, body: JSON text, configurations}, None when there is no
        such application; version None when the current version is not one of `versions`."""
        params = {"id": id, "name": name, "comments": comments, "versions": versions, **stamp}
        self._cursor.run(UPDATE, params)
        return self._cursor.fetchone()

    def get_json(self, id: str) -> dict | None:
        """{body: the application with configuration_ids as JSON text, version, configurations}."""
        self._cursor.run(SELECT_JSON, {"id": id})
        return self._cursor.fetchone()

    def list_json(self, scope: list[str] | None = None) -> str:
        """All applications (those in `scope`, if given), oldest first, as a JSON array
        (the whole list from the cache while unchanged)."""
        if scope is not None:
            self._cursor.execute(LIST_JSON_IN_SCOPE, {"scope": scope})
            return self._cursor.fetchone()["body"]
        self._cursor.execute(LIST_STAMP)
        row = self._cursor.fetchone()
        body = self._list_cache.get((row["n"], row["s"]))
        if body is None:
            self._cursor.execute(LIST_JSON_WITH_STAMP)
            row = self._cursor.fetchone()
            body = row["body"]
            self._list_cache.put((row["n"], row["s"]), body)
        return body
