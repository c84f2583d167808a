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
