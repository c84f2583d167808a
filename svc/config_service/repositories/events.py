"""SQL for the append-only config_events table."""

# The columns a write's statement fills when it appends its event; the database adds
# seq, occurred_at, prev_hash, hash and txid (migrations 0004 and 0010).
APPEND = """
INSERT INTO config_events
       (id, entity_type, entity_id, application_id, action, version,
        before, after, changed_fields, actor, request_id, restored_from, token_id)
"""


# Statements of the service's sessions return the change feed's hints of the events they
# appended, as a text[] column `hints`: the trigger leaves them unsent there, and the unit
# of work hands them to the announcer once committed (migration 0014). An event CTE ends
# with RETURNING_HINT; the statement's row carries HINTS of those CTEs.
RETURNING_HINT = "RETURNING config_events_hint(config_events) AS hint"


def hints(*ctes: str) -> str:
    """The `hints` column: the hints the event CTEs `ctes` returned."""
    union = " UNION ALL ".join(f"SELECT hint FROM {cte}" for cte in ctes)
    return f"(SELECT array_agg(hint) FROM ({union}) AS appended) AS hints"


def deleted_at(entity_type: str, row: str) -> str:
    """When the deleted row `row` was deleted: its latest event's time (read only for deleted rows)."""
    return (f"CASE WHEN {row}.deleted THEN (SELECT utc_text(e.occurred_at) FROM config_events e\n"
            f"     WHERE e.entity_type = '{entity_type}' AND e.entity_id = {row}.id AND e.version = {row}.version)"
            " END AS deleted_at")


# An event as REST shows it: every column, occurred_at in UTC with microseconds.
EVENT_JSON = """
jsonb_build_object(
  'seq', seq, 'id', id,
  'occurred_at', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
  'entity_type', entity_type, 'entity_id', entity_id, 'application_id', application_id,
  'action', action, 'version', version, 'before', before, 'after', after,
  'changed_fields', changed_fields, 'actor', actor, 'request_id', request_id,
  'token_id', token_id, 'restored_from', restored_from, 'prev_hash', prev_hash, 'hash', hash
)::text
"""


# Parameter types of the event's own values (audit.events.stamp), for prepared statements;
# a create's event restores nothing, so only updates take restored_from.
STAMP_TYPES = {"event_id": "text", "actor": "text", "request_id": "text", "token_id": "text"}
