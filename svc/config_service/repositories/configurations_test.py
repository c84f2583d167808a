import json
from decimal import Decimal

from config_service.audit.events import RequestContext, stamp
from test.sql_writes import insert_application
from test.work import pool_for, unit_of_work

A, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FC1"
CONTEXT = RequestContext("r", "carol")


def test_create_update_and_read_back_json_with_exact_numbers(database_url, db):
    insert_application(db, A, "a")
    config = {"nested": {"list": [1, Decimal("2.50"), None, True]}, "big": 10**30, "text": "é😀"}
    with pool_for(database_url) as pool:
        with unit_of_work(pool) as uow:
            created = uow.configurations.create(C, A, "n", None, config, stamp(CONTEXT))
            assert created["version"] == 1
            assert json.loads(created["body"], parse_float=Decimal) == {
                "id": C, "application_id": A, "name": "n", "comments": None, "config": config,
            }
            updated = uow.configurations.update(C, "m", "why", {"x": 1}, stamp(CONTEXT, 1), versions=None)
            assert (updated["current_version"], updated["version"]) == (1, 2)
            assert json.loads(updated["body"])["config"] == {"x": 1}
            stale = uow.configurations.update(C, "z", None, {}, stamp(CONTEXT), versions=[1])
            assert (stale["current_version"], stale["version"]) == (2, None)
            assert uow.configurations.update("01ARZ3NDEKTSV4RRFFQ69G5FC9", "m", None, {}, stamp(CONTEXT)) is None
        with unit_of_work(pool) as uow:
            row = uow.configurations.get_json(C)
            assert row["version"] == 2
            assert json.loads(row["body"]) == {
                "id": C, "application_id": A, "name": "m", "comments": "why", "config": {"x": 1},
            }
            assert uow.configurations.get_json("01ARZ3NDEKTSV4RRFFQ69G5FC9") is None
    with db.cursor() as cur:
        cur.execute("SELECT * FROM config_events WHERE entity_type = 'configuration' ORDER BY seq")
        first, second = cur.fetchall()
    assert first["after"]["config"] == config and first["actor"] == "carol"
    assert (second["before"], second["after"]["name"]) == (first["after"], "m")
    assert (second["changed_fields"], second["restored_from"]) == (["name", "comments", "config"], 1)
