"""SQL for the change feed: pages of config_events in seq order.

Appends are serialised and seq is drawn under that lock (migration 0004), so seq order
is commit order: once seq N is visible, every event with a lower seq is committed or gone.
"""

from config_service.repositories.events import EVENT_JSON

HEAD = "SELECT coalesce(max(seq), 0) AS seq FROM config_events"

# psycopg2 sends the values inline, so the planner drops the filters that are NULL.
PAGE = (
    "SELECT seq, " + EVENT_JSON + """ AS body
  FROM config_events
 WHERE seq > %(after)s
   AND (%(application_id)s::text IS NULL OR application_id = %(application_id)s)
   AND (%(entity_type)s::text IS NULL OR entity_type = %(entity_type)s)
   AND (%(entity_id)s::text IS NULL OR entity_id = %(entity_id)s)
   AND (%(actor)s::text IS NULL OR actor = %(actor)s)
 ORDER BY seq
 LIMIT %(limit)s
"""
)


class FeedRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def head(self) -> int:
        """The highest seq committed so far (0 for an empty log)."""
        self._cursor.execute(HEAD)
        return self._cursor.fetchone()["seq"]

    def page(self, after: int, limit: int, filters: dict) -> list[dict]:
        """Up to `limit` rows of {seq, body: event JSON text} past `after`, oldest first."""
        self._cursor.execute(PAGE, {"after": after, "limit": limit, **filters})
        return self._cursor.fetchall()
