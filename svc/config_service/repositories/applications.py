"""SQL for the applications table. Reads come back as JSON text built by PostgreSQL."""

import threading

INSERT = """
INSERT INTO applications (id, name, comments)
VALUES (%(id)s, %(name)s, %(comments)s)
RETURNING id, name, comments, version, 0 AS configurations
"""

INSERT_AT_COMMIT = """
INSERT INTO applications (id, name, comments) VALUES (%(id)s, %(name)s, %(comments)s)
"""

SELECT_FOR_UPDATE = """
SELECT id, name, comments, version FROM applications WHERE id = %(id)s FOR UPDATE
"""

UPDATE = """
UPDATE applications
   SET name = %(name)s, comments = %(comments)s, version = version + 1
 WHERE id = %(id)s
RETURNING id, name, comments, version,
          (SELECT count(*) FROM configurations c WHERE c.application_id = applications.id) AS configurations
"""

COUNT_CONFIGURATIONS = """
SELECT count(*) AS n FROM configurations WHERE application_id = %(id)s
"""

SELECT_JSON = """
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
"""

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


def snapshot(row: dict) -> dict:
    """The API representation stored in events (no configuration_ids)."""
    return {"id": row["id"], "name": row["name"], "comments": row["comments"]}


class ApplicationsRepository:
    def __init__(self, cursor, list_cache: ListCache | None = None, queue: list[bytes] | None = None) -> None:
        self._cursor = cursor
        self._list_cache = list_cache or ListCache()
        self._queue = [] if queue is None else queue

    def add(self, id: str, name: str, comments: str | None) -> dict:
        self._cursor.execute(INSERT, {"id": id, "name": name, "comments": comments})
        return self._cursor.fetchone()

    def add_at_commit(self, id: str, name: str, comments: str | None) -> dict:
        """Queues the INSERT to go with the unit of work's COMMIT (a create in one round
        trip; a taken name fails the commit); the row as it will be stored."""
        self._queue.append(self._cursor.mogrify(INSERT_AT_COMMIT, {"id": id, "name": name, "comments": comments}) + b";")
        return {"id": id, "name": name, "comments": comments, "version": 1, "configurations": 0}

    def get_for_update(self, id: str) -> dict | None:
        """The row with its version, locked until the transaction ends."""
        self._cursor.execute(SELECT_FOR_UPDATE, {"id": id})
        return self._cursor.fetchone()

    def update(self, id: str, name: str, comments: str | None) -> dict:
        self._cursor.execute(UPDATE, {"id": id, "name": name, "comments": comments})
        return self._cursor.fetchone()

    def count_configurations(self, id: str) -> int:
        self._cursor.execute(COUNT_CONFIGURATIONS, {"id": id})
        return self._cursor.fetchone()["n"]

    def get_json(self, id: str) -> dict | None:
        """{body: the application with configuration_ids as JSON text, version, configurations}."""
        self._cursor.execute(SELECT_JSON, {"id": id})
        return self._cursor.fetchone()

    def list_json(self) -> str:
        """All applications, oldest first, as a JSON array (from the cache while unchanged)."""
        self._cursor.execute(LIST_STAMP)
        row = self._cursor.fetchone()
        body = self._list_cache.get((row["n"], row["s"]))
        if body is None:
            self._cursor.execute(LIST_JSON_WITH_STAMP)
            row = self._cursor.fetchone()
            body = row["body"]
            self._list_cache.put((row["n"], row["s"]), body)
        return body
