import json

import pytest

from config_service.audit.events import RequestContext, build_event
from config_service.repositories.applications import ApplicationsRepository, ListCache, snapshot
from test.sql_writes import insert_application, insert_configuration, update_application
from test.work import pool_for, unit_of_work

A, B = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2"
CONTEXT = RequestContext("r")


@pytest.fixture
def pool(database_url):
    with pool_for(database_url) as pool:
        yield pool


def test_add_get_update_list(pool):
    with unit_of_work(pool) as uow:
        uow.begin()
        second = uow.applications.add(B, "second", "c")
        assert second == {"id": B, "name": "second", "comments": "c", "version": 1, "configurations": 0}
        first = uow.applications.add(A, "first", None)
        locked = uow.applications.get_for_update(A)
        assert (locked["version"], locked["name"]) == (1, "first")
        updated = uow.applications.update(A, "renamed", "")
        assert (updated["version"], updated["name"], updated["comments"], updated["configurations"]) == (2, "renamed", "", 0)
        assert snapshot(updated) == {"id": A, "name": "renamed", "comments": ""}
        for version, before, after in ((1, None, second), (1, None, first), (2, first, snapshot(updated))):
            uow.events.append(build_event("application", version, before and snapshot(before), snapshot(after), CONTEXT))
        uow.commit()
    with unit_of_work(pool) as uow:
        assert json.loads(uow.applications.list_json()) == [
            {"id": A, "name": "renamed", "comments": ""},
            {"id": B, "name": "second", "comments": "c"},
        ]
        row = uow.applications.get_json(B)
        assert json.loads(row["body"])["configuration_ids"] == [] and (row["version"], row["configurations"]) == (1, 0)
        assert uow.applications.get_json("01ARZ3NDEKTSV4RRFFQ69G5FA3") is None
        assert uow.applications.get_for_update("01ARZ3NDEKTSV4RRFFQ69G5FA3") is None


def test_configuration_ids_oldest_first(pool, db):
    insert_application(db, A, "a")
    for cid in ("01ARZ3NDEKTSV4RRFFQ69G5FC2", "01ARZ3NDEKTSV4RRFFQ69G5FC1"):
        insert_configuration(db, cid, A, cid)
    with unit_of_work(pool) as uow:
        row = uow.applications.get_json(A)
        assert uow.applications.count_configurations(A) == 2
    assert json.loads(row["body"])["configuration_ids"] == ["01ARZ3NDEKTSV4RRFFQ69G5FC1", "01ARZ3NDEKTSV4RRFFQ69G5FC2"]
    assert row["configurations"] == 2


def test_list_is_cached_until_any_row_changes(pool, db):
    cache = ListCache()
    app = insert_application(db, A, "a")

    def listed() -> list[dict]:
        with unit_of_work(pool) as uow:
            return json.loads(ApplicationsRepository(uow._cursor, cache).list_json())

    assert [a["name"] for a in listed()] == ["a"]
    stamp = cache._stamp
    assert [a["name"] for a in listed()] == ["a"] and cache._stamp == stamp
    app = update_application(db, app, 1, comments="changed by plain SQL")
    assert listed()[0]["comments"] == "changed by plain SQL"
    insert_application(db, B, "b")
    assert [a["name"] for a in listed()] == ["a", "b"]
    stamp = cache._stamp
    update_application(db, app, 2)  # same values, a new row version
    assert [a["name"] for a in listed()] == ["a", "b"] and cache._stamp != stamp


def test_cache_hits_and_misses():
    cache = ListCache()
    assert cache.get((0, 0)) is None
    cache.put((1, 5), "[1]")
    assert cache.get((1, 5)) == "[1]" and cache.get((1, 6)) is None
