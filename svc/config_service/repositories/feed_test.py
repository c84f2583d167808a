import json

from test.sql_writes import insert_application, insert_configuration
from test.work import pool_for, unit_of_work

A, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FC1"
NO_FILTERS = {"application_id": None, "entity_type": None, "entity_id": None, "actor": None}


def test_pages_in_seq_order_with_filters(database_url, db):
    insert_application(db, A, "a")
    insert_configuration(db, C, A, "c")
    with pool_for(database_url) as pool, unit_of_work(pool) as uow:
        assert uow.feed.head() == 2
        rows = uow.feed.page(0, 10, NO_FILTERS)
        assert [r["seq"] for r in rows] == [1, 2]
        assert json.loads(rows[1]["body"])["entity_id"] == C
        assert [r["seq"] for r in uow.feed.page(1, 10, NO_FILTERS)] == [2]
        assert [r["seq"] for r in uow.feed.page(0, 10, {**NO_FILTERS, "entity_type": "configuration"})] == [2]
        assert uow.feed.page(0, 10, {**NO_FILTERS, "actor": "nobody"}) == []


def test_an_empty_log_has_head_zero(database_url):
    with pool_for(database_url) as pool, unit_of_work(pool) as uow:
        assert uow.feed.head() == 0
