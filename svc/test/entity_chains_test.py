"""Hash chains per entity (migration 0010): links, the cut-over from the single chain of
earlier events, and appends to different entities that no longer wait for each other."""

import psycopg2
import pytest
from psycopg2.extras import RealDictCursor

from config_service.db import migrations
from test.sql_writes import insert_application, update_application

A, B, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2", "01ARZ3NDEKTSV4RRFFQ69G5FA3"


def connect(url):
    conn = psycopg2.connect(url, cursor_factory=RealDictCursor)
    conn.autocommit = True
    return conn


def events(db) -> dict[int, dict]:
    with db.cursor() as cur:
        cur.execute("SELECT seq, entity_id, version, prev_hash, hash, (to_jsonb(e) ->> 'txid')::bigint AS txid"
                    " FROM config_events e ORDER BY seq")  # txid: NULL before 0010
        return {row["seq"]: row for row in cur.fetchall()}


def problems(db, checkpoint=None) -> list[dict]:
    with db.cursor() as cur:
        cur.execute("SELECT seq, problem FROM config_events_verify(%(c)s)", {"c": checkpoint})
        return cur.fetchall()


def test_events_from_before_0010_keep_their_chain_and_checkpoints(empty_database_url):
    before_0010 = [m for m in migrations.discover() if m.version < 10]
    migrations.migrate(empty_database_url, before_0010)
    db = connect(empty_database_url)
    a = insert_application(db, A, "a", legacy=True)
    a = update_application(db, a, 1, legacy=True, name="a2")
    b = insert_application(db, B, "b", legacy=True)
    old = events(db)
    old_checkpoint = f"3-{old[3]['hash']}"
    assert [old[seq]["prev_hash"] for seq in (2, 3)] == [old[1]["hash"], old[2]["hash"]]  # one chain

    migrations.migrate(empty_database_url)
    update_application(db, a, 2, name="a3")
    update_application(db, b, 1, name="b2")
    insert_application(db, C, "c")
    now = events(db)
    assert all(now[seq] == {**old[seq], "txid": 0} for seq in old)  # kept as they were
    assert all(now[seq]["txid"] > 0 for seq in (4, 5, 6))
    assert now[4]["prev_hash"] == old[2]["hash"]  # a's version 3 links to a's version 2
    assert now[5]["prev_hash"] == old[3]["hash"] and now[6]["prev_hash"] is None
    with db.cursor() as cur:
        cur.execute("SELECT config_events_checkpoint() AS c")
        new_checkpoint = cur.fetchone()["c"]
    assert problems(db) == problems(db, old_checkpoint) == problems(db, new_checkpoint) == []
    db.close()


def test_an_entitys_version_from_a_later_transaction_refuses_an_earlier_one(db, database_url):
    a = insert_application(db, A, "a")
    earlier = psycopg2.connect(database_url, cursor_factory=RealDictCursor)
    earlier.cursor().execute("SELECT pg_current_xact_id()")  # begun before the next version
    a2 = update_application(db, a, 1, name="a2")  # a later transaction appends version 2
    with pytest.raises(psycopg2.errors.SerializationFailure, match="later transaction"):
        update_application(earlier, a2, 2, name="a3")  # the feed would show version 3 first
    earlier.rollback()
    update_application(earlier, a2, 2, name="a3")  # run again, it follows
    earlier.commit()
    earlier.close()
    assert [e["version"] for e in events(db).values()] == [1, 2, 3] and problems(db) == []


def test_appends_to_different_entities_do_not_wait_for_each_other(db, database_url):
    open_append = psycopg2.connect(database_url, cursor_factory=RealDictCursor)
    insert_application(open_append, A, "a")  # not committed
    with db.cursor() as cur:
        cur.execute("SET lock_timeout = '2s'")
    insert_application(db, B, "b")  # would wait for the open append under one global lock
    open_append.commit()
    open_append.close()
    chained = events(db)
    assert [e["prev_hash"] for e in chained.values()] == [None, None] and problems(db) == []
