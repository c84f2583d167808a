"""SQL for reading an entity's past from config_events: pages, versions, instants."""

from config_service.repositories.events import EVENT_JSON

ENTITY_EXISTS = {
    "application": "SELECT 1 FROM applications WHERE id = %(id)s",
    "configuration": "SELECT 1 FROM configurations WHERE id = %(id)s",
}

# Newest first; one row more than the page to know whether another page follows.
PAGE = (
    "SELECT version, " + EVENT_JSON + """ AS body
  FROM config_events
 WHERE entity_type = %(entity_type)s AND entity_id = %(id)s
   AND version < %(before_version)s
 ORDER BY version DESC
 LIMIT %(limit)s + 1
"""
)

AFTER_AT_VERSION = """
SELECT after, after::text AS body, action, utc_text(occurred_at) AS occurred_at
  FROM config_events
 WHERE entity_type = %(entity_type)s AND entity_id = %(id)s AND version = %(version)s
"""

# The newest version that has a state (a deletion has none).
LATEST_VERSION = """
SELECT max(version) AS version
  FROM config_events
 WHERE entity_type = %(entity_type)s AND entity_id = %(id)s AND after IS NOT NULL
"""

# Along one entity's versions occurred_at never decreases (the append trigger reads the
# clock after finding the previous version committed), so the latest version at or
# before the instant is it.
CONFIGURATION_AS_OF = """
SELECT after::text AS body, version, utc_text(occurred_at) AS occurred_at
  FROM config_events
 WHERE entity_type = 'configuration' AND entity_id = %(id)s AND occurred_at <= %(at)s
 ORDER BY version DESC
 LIMIT 1
"""

# configuration_ids: those whose latest event by then is not their deletion.
APPLICATION_AS_OF = """
SELECT (e.after || jsonb_build_object('configuration_ids', coalesce(
          (SELECT jsonb_agg(c.entity_id ORDER BY c.entity_id)
             FROM (SELECT DISTINCT ON (c.entity_id) c.entity_id, c.action
                     FROM config_events c
                    WHERE c.application_id = e.entity_id AND c.entity_type = 'configuration'
                      AND c.occurred_at <= %(at)s
                    ORDER BY c.entity_id, c.version DESC) AS c
            WHERE c.action <> 'deleted'),
          '[]'::jsonb)))::text AS body, e.version, utc_text(e.occurred_at) AS occurred_at
  FROM config_events e
 WHERE e.entity_type = 'application' AND e.entity_id = %(id)s AND e.occurred_at <= %(at)s
 ORDER BY e.version DESC
 LIMIT 1
"""
AS_OF = {"application": APPLICATION_AS_OF, "configuration": CONFIGURATION_AS_OF}

MAX_VERSION = 2_147_483_647


class HistoryRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def exists(self, entity_type: str, id: str) -> bool:
        self._cursor.execute(ENTITY_EXISTS[entity_type], {"id": id})
        return self._cursor.fetchone() is not None

    def page(self, entity_type: str, id: str, limit: int, before_version: int | None) -> list[dict]:
        """Up to limit + 1 rows of {version, body: event JSON text}, newest first."""
        params = {"entity_type": entity_type, "id": id, "limit": limit,
                  "before_version": MAX_VERSION if before_version is None else before_version}
        self._cursor.execute(PAGE, params)
        return self._cursor.fetchall()

    def at_version(self, entity_type: str, id: str, version: int) -> dict | None:
        """{after: the snapshot, body: the same as JSON text} of one version."""
        self._cursor.execute(AFTER_AT_VERSION, {"entity_type": entity_type, "id": id, "version": version})
        return self._cursor.fetchone()

    def latest_version(self, entity_type: str, id: str) -> int | None:
        self._cursor.execute(LATEST_VERSION, {"entity_type": entity_type, "id": id})
        return self._cursor.fetchone()["version"]

    def as_of(self, entity_type: str, id: str, at) -> dict | None:
        """{body: JSON text (NULL while deleted), version, occurred_at} of the latest event at or before `at`."""
        self._cursor.execute(AS_OF[entity_type], {"id": id, "at": at})
        return self._cursor.fetchone()
