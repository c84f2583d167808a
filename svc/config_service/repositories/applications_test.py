import hashlib
import json

import pytest

from config_service.audit.events import RequestContext, stamp
from config_service.repositories.applications import ApplicationsRepository, ListCache
from test.sql_writes import insert_application, insert_configuration, update_application
from test.work import pool_for, unit_of_work

A, B = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2"
CONTEXT = RequestContext("r")


@pytest.fixture
def pool(database_url):
    with pool_for(database_url) as pool:
        yield pool


def test_create_update_get_list(pool, db):
    with unit_of_work(pool) as uow:
        uow.applications.create(B, "second", "c", stamp(CONTEXT))
        uow.applications.create(A, "first", None, stamp(CONTEXT))
        updated = uow.applications.update(A, "renamed", "", stamp(CONTEXT), versions=[1])
        assert (updated["current_version"], updated["version"], updated["configurations"]) == (1, 2, 0)
        assert json.loads(updated["body"]) == {"id": A, "name": "renamed", "comments": ""}
        refused = uow.applications.update(A, "again", None, stamp(CONTEXT), versions=[1, 3])
        assert (refused["current_version"], refused["version"]) == (2, None)
        assert uow.applications.update("01ARZ3NDEKTSV4RRFFQ69G5FA3", "x", None, stamp(CONTEXT)) is None
    with db.cursor() as cur:
        cur.execute("SELECT entity_id, version, before, after, changed_fields FROM config_events ORDER BY seq")
        assert [tuple(row.values()) for row in cur.fetchall()] == [
            (B, 1, None, {"id": B, "name": "second", "comments": "c"}, ["id", "name", "comments"]),
            (A, 1, None, {"id": A, "name": "first", "comments": None}, ["id", "name", "comments"]),
            (A, 2, {"id": A, "name": "first", "comments": None}, {"id": A, "name": "renamed", "comments": ""},
             ["name", "comments"]),
        ]
    with unit_of_work(pool) as uow:
        assert json.loads(uow.applications.list_json()) == [
            {"id": A, "name": "renamed", "comments": ""},
            {"id": B, "name": "second", "comments": "c"},
        ]
        row = uow.applications.get_json(B)
        assert json.loads(row["body"])["configuration_ids"] == [] and (row["version"], row["configurations"]) == (1, 0)
        assert uow.applications.get_json("01ARZ3NDEKTSV4RRFFQ69G5FA3") is None


def test_configuration_ids_oldest_first(pool, db):
    insert_application(db, A, "a")
    for cid in ("01ARZ3NDEKTSV4RRFFQ69G5FC2", "01ARZ3NDEKTSV4RRFFQ69G5FC1"):
        insert_configuration(db, cid, A, cid)
    with unit_of_work(pool) as uow:
        row = uow.applications.get_json(A)
        updated = uow.applications.update(A, "a", None, stamp(CONTEXT))["configurations"]
    ids = ["01ARZ3NDEKTSV4RRFFQ69G5FC1", "01ARZ3NDEKTSV4RRFFQ69G5FC2"]
    assert json.loads(row["body"])["configuration_ids"] == ids
    members = int(hashlib.md5(",".join(ids).encode()).hexdigest()[:8], 16)  # the tag's number for the list
    assert row["configurations"] == updated == members


def test_list_is_cached_until_any_row_changes(pool, db):
    cache = ListCache()
    app = insert_application(db, A, "a")

    def listed() -> list[dict]:
        with unit_of_work(pool) as uow:
            return json.loads(ApplicationsRepository(uow._cursor, cache).list_json())

    assert [a["name"] for a in listed()] == ["a"]
    stamp_before = cache._stamp
    assert [a["name"] for a in listed()] == ["a"] and cache._stamp == stamp_before
    app = update_application(db, app, 1, comments="changed by plain SQL")
    assert listed()[0]["comments"] == "changed by plain SQL"
    insert_application(db, B, "b")
    assert [a["name"] for a in listed()] == ["a", "b"]
    stamp_before = cache._stamp
    update_application(db, app, 2)  # same values, a new row version
    assert [a["name"] for a in listed()] == ["a", "b"] and cache._stamp != stamp_before


def test_cache_hits_and_misses():
    cache = ListCache()
    assert cache.get((0, 0)) is None
    cache.put((1, 5), "[1]")
    assert cache.get((1, 5)) == "[1]" and cache.get((1, 6)) is None
