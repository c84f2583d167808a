"""SQL for the append-only config_events table."""

from psycopg2.extras import Json

from config_service.exact_json import dumps

INSERT = """
INSERT INTO config_events
       (id, entity_type, entity_id, application_id, action, version,
        before, after, changed_fields, actor, request_id, restored_from)
VALUES (%(id)s, %(entity_type)s, %(entity_id)s, %(application_id)s, %(action)s, %(version)s,
        %(before)s, %(after)s, %(changed_fields)s, %(actor)s, %(request_id)s, %(restored_from)s)
"""

# An event as REST shows it: every column, occurred_at in UTC with microseconds.
EVENT_JSON = """
json_build_object(
  'seq', seq, 'id', id,
  'occurred_at', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'entity_type', entity_type, 'entity_id', entity_id, 'application_id', application_id,
  'action', action, 'version', version, 'before', before, 'after', after,
  'changed_fields', changed_fields, 'actor', actor, 'request_id', request_id,
  'restored_from', restored_from, 'prev_hash', prev_hash, 'hash', hash
)::text
"""


class EventsRepository:
    """Appends are queued as SQL and sent with the unit of work's COMMIT, in the same transaction."""

    def __init__(self, cursor, queue: list[bytes] | None = None) -> None:
        self._cursor = cursor
        self._queued = [] if queue is None else queue

    def append(self, event: dict) -> None:
        before = event["before"]
        params = {
            **event,
            "before": None if before is None else Json(before, dumps),
            "after": Json(event["after"], dumps),
        }
        # mogrify quotes the values client-side; nothing is sent yet.
        self._queued.append(self._cursor.mogrify(INSERT, params) + b";")

    def take_queued(self) -> bytes:
        """The queued INSERTs as one string, and an empty queue."""
        queued = b"".join(self._queued)
        self._queued.clear()
        return queued
