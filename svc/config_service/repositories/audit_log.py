"""SQL for proving the log: the database's own verification and checkpoints."""

# Problems in order (chain, checkpoint, versions, rows); no rows when the log is intact.
FIRST_PROBLEM = "SELECT seq, entity_type, entity_id, problem FROM config_events_verify(%(checkpoint)s) LIMIT 1"
SUMMARY = "SELECT count(*) AS events, max(seq) AS last_seq FROM config_events"
# Waits for the transactions running when called, then records and returns the string.
CHECKPOINT = "SELECT config_events_checkpoint() AS checkpoint"
# Verifying in steps (migration 0013): the horizon of a check, waited for once at its start.
SETTLED_SEQ = "SELECT config_events_settled_seq() AS up_to"
# The next `limit` events in (after, up_to] (after NULL: from the first), and the log's end.
# CAST, not ::, so that -9223372036854775808 (written with its sign apart) stays a bigint.
STEP_BOUNDS = """
SELECT max(seq) AS to_seq, count(*) AS events, (SELECT max(seq) FROM config_events) AS last_seq
  FROM (SELECT seq FROM config_events
         WHERE (CAST(%(after)s AS bigint) IS NULL OR seq > CAST(%(after)s AS bigint))
           AND seq <= CAST(%(up_to)s AS bigint)
         ORDER BY seq LIMIT %(limit)s) AS step
"""
# The problems of the events in (after, up_to]; on the last step also the checkpoint's and
# the rows', in that order (the parts of config_events_verify), in one snapshot.
STEP_PROBLEMS = """
SELECT seq, entity_type, entity_id, problem FROM (
    SELECT 1 AS part, r.* FROM config_events_verify_range(CAST(%(after)s AS bigint), CAST(%(up_to)s AS bigint))
           WITH ORDINALITY AS r(seq, entity_type, entity_id, problem, n)
    UNION ALL
    SELECT 2, r.* FROM config_events_verify_checkpoint(%(checkpoint)s)
           WITH ORDINALITY AS r(seq, entity_type, entity_id, problem, n) WHERE %(last)s
    UNION ALL
    SELECT 3, r.* FROM config_events_verify_rows()
           WITH ORDINALITY AS r(seq, entity_type, entity_id, problem, n) WHERE %(last)s
) AS problems
ORDER BY part, n
LIMIT %(max_problems)s
"""
# The newest recorded checkpoint as `audit checkpoint` printed it (before 0010: <seq>-<hash>).
LATEST_CHECKPOINT = """
SELECT c.seq, utc_text(c.taken_at) AS taken_at,
       CASE WHEN c.hash IS NULL THEN c.seq || '-none'
            WHEN EXISTS (SELECT 1 FROM config_events e WHERE e.seq = c.seq AND e.txid = 0 AND e.hash = c.hash)
                 THEN c.seq || '-' || c.hash
            ELSE c.seq || '.' || c.hash END AS checkpoint
  FROM audit_checkpoints c
 ORDER BY c.id DESC
 LIMIT 1
"""


class AuditLogRepository:
    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def first_problem(self, checkpoint: str | None) -> dict | None:
        self._cursor.execute(FIRST_PROBLEM, {"checkpoint": checkpoint})
        return self._cursor.fetchone()

    def summary(self) -> dict:
        self._cursor.execute(SUMMARY)
        return self._cursor.fetchone()

    def settled_seq(self) -> int:
        """The newest seq once the transactions running now have ended (waits for them)."""
        self._cursor.execute(SETTLED_SEQ)
        return self._cursor.fetchone()["up_to"]

    def step_bounds(self, after: int | None, up_to: int, limit: int) -> dict:
        self._cursor.execute(STEP_BOUNDS, {"after": after, "up_to": up_to, "limit": limit})
        return self._cursor.fetchone()

    def step_problems(self, after: int | None, up_to: int, last: bool, checkpoint: str | None,
                      max_problems: int, last_step_timeout_ms: int) -> list[dict]:
        """The first `max_problems` problems; the last step, which reads every row (and, with
        a checkpoint, every chain's head), may take up to `last_step_timeout_ms`."""
        params = {"after": after, "up_to": up_to, "last": last, "checkpoint": checkpoint,
                  "max_problems": max_problems}
        if not last:
            self._cursor.execute(STEP_PROBLEMS, params)
            return self._cursor.fetchall()
        # Its own transaction for SET LOCAL; a connection left in it on an error is closed
        # by the pool, never reused.
        self._cursor.execute("BEGIN READ ONLY")
        self._cursor.execute("SET LOCAL statement_timeout = %(ms)s", {"ms": last_step_timeout_ms})
        self._cursor.execute(STEP_PROBLEMS, params)
        problems = self._cursor.fetchall()
        self._cursor.execute("COMMIT")
        return problems

    def latest_checkpoint(self) -> dict | None:
        self._cursor.execute(LATEST_CHECKPOINT)
        return self._cursor.fetchone()

    def checkpoint(self) -> str:
        """Record and return "<seq>.<digest>": it commits to every event up to seq, the
        newest committed (migration 0010). Call it first in a transaction of its own."""
        self._cursor.execute(CHECKPOINT)
        return self._cursor.fetchone()["checkpoint"]


# An export: every column of every event past `after` up to the settled `up_to` (of one
# application, if given), in seq order, numbers exactly as stored; read through a
# server-side cursor (bounded memory).
EXPORT = """
SELECT jsonb_build_object(
         'seq', seq, 'id', id, 'occurred_at', utc_text(occurred_at), 'entity_type', entity_type,
         'entity_id', entity_id, 'application_id', application_id, 'action', action, 'version', version,
         'before', before, 'after', after, 'changed_fields', changed_fields, 'actor', actor,
         'token_id', token_id, 'request_id', request_id, 'restored_from', restored_from,
         'prev_hash', prev_hash, 'hash', hash, 'txid', txid)::text AS line,
       seq, entity_type, entity_id, hash
  FROM config_events
 WHERE seq > %(after)s AND seq <= %(up_to)s
   AND (%(application_id)s::text IS NULL OR application_id = %(application_id)s)
 ORDER BY seq
"""
# The §9 checkpoint digest up to a seq, in the export's snapshot.
HEADS_DIGEST = "SELECT config_events_heads_digest(%(seq)s) AS digest"
