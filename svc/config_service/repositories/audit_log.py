"""SQL for proving the log: the database's own verification and checkpoints."""

# Problems in order (chain, checkpoint, versions, rows); no rows when the log is intact.
FIRST_PROBLEM = "SELECT seq, entity_type, entity_id, problem FROM config_events_verify(%(checkpoint)s) LIMIT 1"
SUMMARY = "SELECT count(*) AS events, max(seq) AS last_seq FROM config_events"
HEAD = "SELECT seq, hash FROM config_events ORDER BY seq DESC LIMIT 1"
RECORD_CHECKPOINT = "INSERT INTO audit_checkpoints (seq, hash) VALUES (%(seq)s, %(hash)s)"
EMPTY_LOG_CHECKPOINT = "0-none"


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
        """Record and return "<seq>-<hash>" of the newest event: it commits to the whole log."""
        self._cursor.execute(HEAD)
        head = self._cursor.fetchone()
        if head is None:
            self._cursor.execute(RECORD_CHECKPOINT, {"seq": 0, "hash": None})
            return EMPTY_LOG_CHECKPOINT
        self._cursor.execute(RECORD_CHECKPOINT, head)
        return f"{head['seq']}-{head['hash']}"
