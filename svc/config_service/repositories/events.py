"""SQL for the append-only config_events table."""

from psycopg2.extras import Json

INSERT = """
INSERT INTO config_events
       (id, entity_type, entity_id, application_id, action, version,
        before, after, changed_fields, actor, request_id)
VALUES (%(id)s, %(entity_type)s, %(entity_id)s, %(application_id)s, %(action)s, %(version)s,
        %(before)s, %(after)s, %(changed_fields)s, %(actor)s, %(request_id)s)
"""


class EventsRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def append(self, event: dict) -> None:
        before = event["before"]
        params = {
            **event,
            "before": None if before is None else Json(before),
            "after": Json(event["after"]),
        }
        self._cursor.execute(INSERT, params)
