import json

from config_service.audit.events import RequestContext, build_event
from config_service.repositories.configurations import snapshot
from test.sql_writes import insert_application
from test.work import pool_for, unit_of_work

A, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FC1"
CONTEXT = RequestContext("r")


def test_add_lock_update_and_read_back_json(database_url, db):
    insert_application(db, A, "a")
    config = {"nested": {"list": [1, 2.5, None, True]}, "big": 10**30, "text": "é😀"}
    with pool_for(database_url) as pool:
        with unit_of_work(pool) as uow:
            uow.begin()
            row = uow.configurations.add(C, A, "n", None, config)
            created = snapshot(row)
            assert created == {"id": C, "application_id": A, "name": "n", "comments": None, "config": config}
            assert uow.configurations.get_for_update(C)["version"] == 1
            updated = uow.configurations.update(C, "m", "why", {"x": 1})
            assert (updated["version"], updated["config"], updated["comments"]) == (2, {"x": 1}, "why")
            uow.events.append(build_event("configuration", 1, None, created, CONTEXT))
            uow.events.append(build_event("configuration", 2, created, snapshot(updated), CONTEXT))
            uow.commit()
        with unit_of_work(pool) as uow:
            row = uow.configurations.get_json(C)
            assert row["version"] == 2
            assert json.loads(row["body"]) == {
                "id": C, "application_id": A, "name": "m", "comments": "why", "config": {"x": 1},
            }
            assert uow.configurations.get_json("01ARZ3NDEKTSV4RRFFQ69G5FC9") is None
            assert uow.configurations.get_for_update("01ARZ3NDEKTSV4RRFFQ69G5FC9") is None
