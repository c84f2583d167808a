import hashlib
import threading

import psycopg2
import pytest
from psycopg2.extras import RealDictCursor

from config_service.repositories.audit_log import AuditLogRepository
from test.sql_writes import insert_application


def test_checkpoint_commits_to_every_chain_head_and_is_recorded(db):
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "a")
    with db.cursor(cursor_factory=RealDictCursor) as cur:
        log = AuditLogRepository(cur)
        checkpoint = log.checkpoint()
        cur.execute("SELECT seq, hash FROM config_events")
        head = cur.fetchone()
        digest = hashlib.sha256(head["hash"].encode()).hexdigest()
        assert checkpoint == f"1.{digest}" and len(head["hash"]) == 64
        cur.execute("SELECT seq, hash FROM audit_checkpoints")
        assert cur.fetchall() == [{"seq": 1, "hash": digest}]
        assert log.first_problem(checkpoint) is None
        assert log.summary() == {"events": 1, "last_seq": 1}


@pytest.mark.parametrize("slow_is_newer", [False, True])
def test_a_checkpoint_waits_for_events_still_committing_below_its_seq(db, database_url, slow_is_newer):
    """A transaction holding seq 1 uncommitted while seq 2 commits: the checkpoint covers
    seq 2, so it must wait for seq 1 to commit and then cover it too, also when the slow
    transaction is the newest running one (its xid above every completed one)."""
    fast = psycopg2.connect(database_url)
    slow = psycopg2.connect(database_url)
    first, second = (fast, slow) if slow_is_newer else (slow, fast)
    first.cursor().execute("SELECT pg_current_xact_id()")  # running before the checkpoint starts
    second.cursor().execute("SELECT pg_current_xact_id()")
    insert_application(slow, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "slow")  # seq 1, not committed
    insert_application(fast, "01ARZ3NDEKTSV4RRFFQ69G5FA2", "fast")  # seq 2
    fast.commit()
    fast.close()
    taken = []
    checkpointer = psycopg2.connect(database_url, application_name="checkpointer")

    def take():
        with checkpointer, checkpointer.cursor(cursor_factory=RealDictCursor) as cur:
            taken.append(AuditLogRepository(cur).checkpoint())

    thread = threading.Thread(target=take)
    thread.start()
    with db.cursor() as cur:
        while thread.is_alive():  # until the checkpoint is seen waiting (pg_sleep) for the slow one
            cur.execute("SELECT wait_event FROM pg_stat_activity WHERE application_name = 'checkpointer'")
            if cur.fetchone() == {"wait_event": "PgSleep"}:
                break
    assert not taken
    slow.commit()
    thread.join(timeout=30)
    with db.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SELECT hash FROM config_events ORDER BY entity_id")
        heads = ",".join(row["hash"] for row in cur.fetchall())
        assert taken == [f"2.{hashlib.sha256(heads.encode()).hexdigest()}"]
        assert AuditLogRepository(cur).first_problem(taken[0]) is None
    slow.close()
    checkpointer.close()


def test_a_checkpoint_refuses_a_transaction_that_has_written(db):
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "a")
    db.autocommit = False
    with db.cursor(cursor_factory=RealDictCursor) as cur:
        cur.execute("SELECT pg_current_xact_id()")
        try:
            AuditLogRepository(cur).checkpoint()
        except psycopg2.errors.InvalidTransactionState as exc:
            assert "transaction of its own" in str(exc)
        else:
            raise AssertionError("a checkpoint inside a writing transaction would wait for itself")
    db.rollback()
