from psycopg2.extras import RealDictCursor

from config_service.repositories.audit_log import AuditLogRepository
from test.sql_writes import insert_application


def test_checkpoint_is_the_newest_event_and_is_recorded(db):
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "a")
    with db.cursor(cursor_factory=RealDictCursor) as cur:
        log = AuditLogRepository(cur)
        checkpoint = log.checkpoint()
        cur.execute("SELECT seq, hash FROM config_events")
        head = cur.fetchone()
        assert checkpoint == f"1-{head['hash']}" and len(head["hash"]) == 64
        cur.execute("SELECT seq, hash FROM audit_checkpoints")
        assert cur.fetchall() == [head]
        assert log.first_problem(checkpoint) is None
        assert log.summary() == {"events": 1, "last_seq": 1}
