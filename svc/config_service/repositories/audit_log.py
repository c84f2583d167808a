"""SQL for proving the log: the database's own verification and checkpoints."""

# Problems in order (chain, checkpoint, versions, rows); no rows when the log is intact.
FIRST_PROBLEM = "SELECT seq, entity_type, entity_id, problem FROM config_events_verify(%(checkpoint)s) LIMIT 1"
SUMMARY = "SELECT count(*) AS events, max(seq) AS last_seq FROM config_events"
# Waits for the transactions running when called, then records and returns the string.
CHECKPOINT = "SELECT config_events_checkpoint() AS checkpoint"


class AuditLogRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def first_problem(self, checkpoint: str | None) -> dict | None:
        self._cursor.execute(FIRST_PROBLEM, {"checkpoint": checkpoint})
        return self._cursor.fetchone()

    def summary(self) -> dict:
        self._cursor.execute(SUMMARY)
        return self._cursor.fetchone()

    def checkpoint(self) -> str:
        """Record and return "<seq>.<digest>": it commits to every event up to seq, the
        newest committed (migration 0010). Call it first in a transaction of its own."""
        self._cursor.execute(CHECKPOINT)
        return self._cursor.fetchone()["checkpoint"]


# An export: every column of every event past `after` (of one application, if given), in seq
# order, numbers exactly as stored; read through a server-side cursor (bounded memory).
EXPORT = """
SELECT json_build_object(
         'seq', seq, 'id', id, 'occurred_at', utc_text(occurred_at), 'entity_type', entity_type,
         'entity_id', entity_id, 'application_id', application_id, 'action', action, 'version', version,
         'before', before, 'after', after, 'changed_fields', changed_fields, 'actor', actor,
         'token_id', token_id, 'request_id', request_id, 'restored_from', restored_from,
         'prev_hash', prev_hash, 'hash', hash, 'txid', txid)::text AS line,
       seq, entity_type, entity_id, hash
  FROM config_events
 WHERE seq > %(after)s AND (%(application_id)s::text IS NULL OR application_id = %(application_id)s)
 ORDER BY seq
"""
# The §9 checkpoint digest up to a seq, in the export's snapshot.
HEADS_DIGEST = "SELECT config_events_heads_digest(%(seq)s) AS digest"
