"""SQL for the change feed: pages of config_events in (txid, seq) order.

Only events of transactions older than the oldest one still running are read: no event
can appear among them any more (migration 0010), so a position in that order, once
passed, never has an event appear behind it.
"""

from config_service.repositories.events import EVENT_JSON

SNAPSHOT = """
SELECT pg_snapshot_xmax(s)::text::bigint AS xmax,
       ARRAY(SELECT pg_snapshot_xip(s)::text::bigint) AS running
  FROM pg_current_snapshot() AS s
"""

# psycopg2 sends the values inline, so the planner drops the filters that are NULL.
PAGE = (
    "SELECT txid, seq, " + EVENT_JSON + """ AS body
  FROM config_events
 WHERE (txid, seq) > (%(txid)s, %(seq)s)
   AND txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
   AND (%(xmax)s::bigint IS NULL OR txid >= %(xmax)s::bigint OR txid = ANY(%(running)s::bigint[]))
   AND (%(application_id)s::text IS NULL OR application_id = %(application_id)s)
   AND (%(entity_type)s::text IS NULL OR entity_type = %(entity_type)s)
   AND (%(entity_id)s::text IS NULL OR entity_id = %(entity_id)s)
   AND (%(actor)s::text IS NULL OR actor = %(actor)s)
   AND (%(scope)s::text[] IS NULL OR application_id = ANY(%(scope)s::text[]))
   AND (%(tokens)s OR entity_type <> 'token')
 ORDER BY txid, seq
 LIMIT %(limit)s
"""
)


class FeedRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def snapshot(self) -> dict:
        """{xmax, running}: the transactions not committed at this moment are those from
        xmax on and those in running."""
        self._cursor.execute(SNAPSHOT)
        return self._cursor.fetchone()

    def page(self, position: dict, limit: int, filters: dict) -> list[dict]:
        """Up to `limit` rows of {txid, seq, body: event JSON text} past `position`
        ({txid, seq, xmax, running}), oldest first."""
        self._cursor.execute(PAGE, {**position, "limit": limit, **filters})
        return self._cursor.fetchall()
