"""SQL for the applications table. Each write is one statement that also appends the
write's event, built by PostgreSQL from the row as stored; reads come back as JSON text."""

import threading

from config_service.db.prepared import Prepared
from config_service.repositories.events import APPEND, RETURNING_HINT, STAMP_TYPES, deleted_at, hints


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
RETURNING ARRAY[config_events_hint(config_events)] AS hints
""", {"id": "text", "name": "text", "comments": "text", **STAMP_TYPES})

# What an application's tag says of its configurations: a number that changes whenever the
# list of its live configurations does (the first 32 bits of the MD5 of their ids; 0: none).
MEMBERS = """coalesce((SELECT ('x' || left(md5(string_agg(c.id, ',' ORDER BY c.id)), 8))::bit(32)::bigint
                FROM configurations c WHERE c.application_id = {app} AND NOT c.deleted), 0)"""

# As configurations.UPDATE: lock, If-Match against the locked row (`versions` NULL for
# any), update, append. No row: no such application; `version` NULL: If-Match failed.
UPDATE = Prepared("application_update", f"""
WITH old AS (
    SELECT id, name, comments, version, deleted
      FROM applications
     WHERE id = %(id)s
       FOR UPDATE
), new AS (
    UPDATE applications a
       SET name = %(name)s, comments = %(comments)s, version = a.version + 1
      FROM old
     WHERE a.id = old.id AND NOT old.deleted
       AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
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
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, {deleted_at("application", "old")},
       jsonb_build_object('id', new.id, 'name', new.name, 'comments', new.comments)::text AS body,
       {MEMBERS.format(app="old.id")} AS configurations, {hints("event")}
  FROM old LEFT JOIN new ON true
""", {"id": "text", "name": "text", "comments": "text", "versions": "integer[]",
      "restored_from": "integer", **STAMP_TYPES})

SELECT_JSON = Prepared("application_json", f"""
SELECT jsonb_build_object(
         'id', a.id, 'name', a.name, 'comments', a.comments,
         'configuration_ids', coalesce(ids.list, '[]'::jsonb)
       )::text AS body,
       a.version, coalesce(ids.members, 0) AS configurations, a.deleted, {deleted_at("application", "a")}
  FROM applications a
  LEFT JOIN LATERAL (
       SELECT jsonb_agg(c.id ORDER BY c.id) AS list,
              ('x' || left(md5(string_agg(c.id, ',' ORDER BY c.id)), 8))::bit(32)::bigint AS members
         FROM configurations c WHERE c.application_id = a.id AND NOT c.deleted
       ) ids ON true
 WHERE a.id = %(id)s
""", {"id": "text"})

# A deletion: the row locked, If-Match checked against it, then (with `cascade`) each live
# configuration deleted with its event, and the application with its own. Without
# cascade, live configurations keep it alive (`live` lists them). The events of the
# configurations take their ids from `event_ids`, in configuration id order.
DELETE = f"""
WITH old AS (
    SELECT id, name, comments, version, deleted FROM applications WHERE id = %(id)s FOR UPDATE
), allowed AS (
    SELECT old.id FROM old
     WHERE NOT old.deleted AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
), live AS (
    SELECT coalesce(array_agg(c.id ORDER BY c.id), '{{}}') AS ids
      FROM configurations c, old WHERE c.application_id = old.id AND NOT c.deleted
), gone AS (
    UPDATE configurations c SET deleted = true, version = c.version + 1
      FROM allowed
     WHERE %(cascade)s AND c.application_id = allowed.id AND NOT c.deleted
 RETURNING c.id, c.application_id, c.name, c.comments, c.config, c.version
), gone_events AS (
    {APPEND}
    SELECT ids.event_id, 'configuration', gone.id, gone.application_id, 'deleted', gone.version,
           jsonb_build_object('id', gone.id, 'application_id', gone.application_id, 'name', gone.name,
                              'comments', gone.comments, 'config', gone.config),
           NULL, '{{id,application_id,name,comments,config}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM (SELECT gone.*, row_number() OVER (ORDER BY gone.id) AS n FROM gone) AS gone
      JOIN unnest(%(event_ids)s::text[]) WITH ORDINALITY AS ids(event_id, n) ON ids.n = gone.n
    RETURNING seq, config_events_hint(config_events) AS hint
), new AS (
    UPDATE applications a SET deleted = true, version = a.version + 1
      FROM allowed, live
     WHERE a.id = allowed.id AND (%(cascade)s OR cardinality(live.ids) = 0)
 RETURNING a.id, a.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'application', new.id, new.id, 'deleted', new.version, {_snapshot("old")}, NULL,
           '{{id,name,comments}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM old, new
     WHERE (SELECT count(*) FROM gone_events) >= 0  -- appended after its configurations' events
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, {deleted_at("application", "old")},
       live.ids AS live_configurations, 0 AS configurations, {hints("gone_events", "event")}
  FROM old CROSS JOIN live LEFT JOIN new ON true
"""

# A restore: the row comes back as it was, as a new version, if it is deleted and its name is free.
RESTORE = f"""
WITH old AS (
    SELECT id, name, comments, version, deleted FROM applications WHERE id = %(id)s FOR UPDATE
), new AS (
    UPDATE applications a SET deleted = false, version = a.version + 1
      FROM old
     WHERE a.id = old.id AND old.deleted
       AND (%(versions)s::integer[] IS NULL OR old.version = ANY(%(versions)s::integer[]))
 RETURNING a.id, a.name, a.comments, a.version
), event AS (
    {APPEND}
    SELECT %(event_id)s, 'application', new.id, new.id, 'restored', new.version, NULL, {_snapshot("new")},
           '{{id,name,comments}}', %(actor)s, %(request_id)s, NULL, %(token_id)s
      FROM new
    {RETURNING_HINT}
)
SELECT old.version AS current_version, new.version, old.deleted, NULL AS deleted_at,
       jsonb_build_object('id', new.id, 'name', new.name, 'comments', new.comments)::text AS body,
       0 AS configurations, {hints("event")}
  FROM old LEFT JOIN new ON true
"""

LIVE_CONFIGURATIONS = """
SELECT count(*) AS n FROM configurations WHERE application_id = %(id)s AND NOT deleted
"""

# The list is large (10,000 applications: 0.8 MB, ~7 ms to build) and changes rarely, so
# each process keeps the last body with a stamp of the table. Every insert and update of a
# row (a deletion or restore included) gives it the xmin of a newer transaction, so
# (count, sum of xmin) changes with any visible change (rows are never removed).
LIST_STAMP = """
SELECT count(*) AS n, coalesce(sum(xmin::text::bigint), 0) AS s FROM applications
"""

LIST_JSON_WITH_STAMP = """
SELECT count(*) AS n, coalesce(sum(xmin::text::bigint), 0) AS s,
       coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'comments', comments) ORDER BY id)
                FILTER (WHERE NOT deleted), '[]'::jsonb)::text AS body
  FROM applications
"""

# A scoped token's list: small, never cached.
LIST_JSON_IN_SCOPE = """
SELECT coalesce(jsonb_agg(jsonb_build_object('id', id, 'name', name, 'comments', comments) ORDER BY id),
                '[]'::jsonb)::text AS body
  FROM applications
 WHERE id = ANY(%(scope)s) AND NOT deleted
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
        self._cursor.fetchone()  # its event's hint

    def update(self, id: str, name: str, comments: str | None, stamp: dict,
               versions: list[int] | None = None) -> dict | None:
        """{current_version, version, body: JSON text, configurations}, None when there is no
        such application; version None when the current version is not one of `versions`."""
        params = {"id": id, "name": name, "comments": comments, "versions": versions, **stamp}
        self._cursor.run(UPDATE, params)
        return self._cursor.fetchone()

    def delete(self, id: str, cascade: bool, stamp: dict, event_ids: list[str],
               versions: list[int] | None = None) -> dict | None:
        """{current_version, version, deleted, deleted_at, live_configurations}; None when there
        is no such application; version None when nothing was deleted."""
        params = {"id": id, "cascade": cascade, "event_ids": event_ids, "versions": versions, **stamp}
        self._cursor.execute(DELETE, params)
        return self._cursor.fetchone()

    def restore(self, id: str, stamp: dict, versions: list[int] | None = None) -> dict | None:
        """As update; `deleted` False when it was not deleted."""
        self._cursor.execute(RESTORE, {"id": id, "versions": versions, **stamp})
        return self._cursor.fetchone()

    def live_configurations(self, id: str) -> int:
        self._cursor.execute(LIVE_CONFIGURATIONS, {"id": id})
        return self._cursor.fetchone()["n"]

    def get_json(self, id: str) -> dict | None:
        """{body: the application with configuration_ids as JSON text, version, configurations
        (the tag's number for them), deleted, deleted_at}."""
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
