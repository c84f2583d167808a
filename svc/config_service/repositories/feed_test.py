import json

import psycopg2

from test.sql_writes import insert_application, insert_configuration
from test.work import pool_for, unit_of_work

A, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FC1"
NO_FILTERS = {"application_id": None, "entity_type": None, "entity_id": None, "actor": None, "scope": None,
              "tokens": True}
BEGINNING = {"txid": 0, "seq": 0, "xmax": None, "running": []}


def test_pages_in_txid_seq_order_with_filters(database_url, db):
    insert_application(db, A, "a")
    insert_configuration(db, C, A, "c")
    with pool_for(database_url) as pool, unit_of_work(pool) as uow:
        rows = uow.feed.page(BEGINNING, 10, NO_FILTERS)
        assert [r["seq"] for r in rows] == [1, 2] and 0 < rows[0]["txid"] < rows[1]["txid"]
        assert json.loads(rows[1]["body"])["entity_id"] == C
        second = {**BEGINNING, "txid": rows[0]["txid"], "seq": 1}
        assert [r["seq"] for r in uow.feed.page(second, 10, NO_FILTERS)] == [2]
        assert [r["seq"] for r in uow.feed.page(BEGINNING, 10, {**NO_FILTERS, "entity_type": "configuration"})] == [2]
        assert uow.feed.page(BEGINNING, 10, {**NO_FILTERS, "actor": "nobody"}) == []
        # A snapshot's position: of the transactions below xmax, only those in `running`.
        snapshot = {**BEGINNING, "xmax": rows[1]["txid"] + 1, "running": [rows[1]["txid"]]}
        assert [r["seq"] for r in uow.feed.page(snapshot, 10, NO_FILTERS)] == [2]


def test_a_page_stops_below_the_oldest_running_transaction(database_url, db):
    insert_application(db, A, "a")
    running = psycopg2.connect(database_url)
    running.cursor().execute("SELECT pg_current_xact_id()")  # holds the horizon
    insert_configuration(db, C, A, "c")  # committed, but after the running one began
    with pool_for(database_url) as pool:
        with unit_of_work(pool) as uow:
            assert [r["seq"] for r in uow.feed.page(BEGINNING, 10, NO_FILTERS)] == [1]
        running.rollback()
        with unit_of_work(pool) as uow:
            assert [r["seq"] for r in uow.feed.page(BEGINNING, 10, NO_FILTERS)] == [1, 2]
    running.close()


def test_the_snapshot_lists_what_is_running(database_url, db):
    running = psycopg2.connect(database_url)
    with running.cursor() as cur:
        cur.execute("SELECT pg_current_xact_id()::text::bigint")
        txid = cur.fetchone()[0]
    insert_application(db, A, "a")  # a later transaction commits: the running one is listed
    with pool_for(database_url) as pool, unit_of_work(pool) as uow:
        snapshot = uow.feed.snapshot()
    assert txid in snapshot["running"] and snapshot["xmax"] > txid
    running.close()
