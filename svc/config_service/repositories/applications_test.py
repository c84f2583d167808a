import json

import pytest

from config_service.repositories.applications import ApplicationsRepository, ListCache, snapshot
from test.work import pool_for, unit_of_work

A, B = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA2"


@pytest.fixture
def pool(database_url):
    with pool_for(database_url) as pool:
        yield pool


def test_add_get_update_list(pool, db):
    with unit_of_work(pool) as uow:
        uow.begin()
        assert uow.applications.add(B, "second", "c") == {"id": B, "name": "second", "comments": "c"}
        uow.applications.add(A, "first", None)
        locked = uow.applications.get_for_update(A)
        assert (locked["version"], locked["name"]) == (1, "first")
        updated = uow.applications.update(A, "renamed", "")
        assert (updated["version"], updated["name"], updated["comments"]) == (2, "renamed", "")
        assert snapshot(updated) == {"id": A, "name": "renamed", "comments": ""}
        uow.commit()
    with unit_of_work(pool) as uow:
        assert json.loads(uow.applications.list_json()) == [
            {"id": A, "name": "renamed", "comments": ""},
            {"id": B, "name": "second", "comments": "c"},
        ]
        assert json.loads(uow.applications.get_json(B))["configuration_ids"] == []
        assert uow.applications.get_json("01ARZ3NDEKTSV4RRFFQ69G5FA3") is None
        assert uow.applications.get_for_update("01ARZ3NDEKTSV4RRFFQ69G5FA3") is None


def test_configuration_ids_oldest_first(pool, db):
    db.cursor().execute("INSERT INTO applications (id, name) VALUES (%s, 'a')", (A,))
    for cid in ("01ARZ3NDEKTSV4RRFFQ69G5FC2", "01ARZ3NDEKTSV4RRFFQ69G5FC1"):
        db.cursor().execute(
            "INSERT INTO configurations (id, application_id, name, config) VALUES (%s, %s, %s, '{}')",
            (cid, A, cid),
        )
    with unit_of_work(pool) as uow:
        body = json.loads(uow.applications.get_json(A))
    assert body["configuration_ids"] == ["01ARZ3NDEKTSV4RRFFQ69G5FC1", "01ARZ3NDEKTSV4RRFFQ69G5FC2"]


def test_list_is_cached_until_any_row_changes(pool, db):
    cache = ListCache()
    db.cursor().execute("INSERT INTO applications (id, name) VALUES (%s, 'a')", (A,))

    def listed() -> list[dict]:
        with unit_of_work(pool) as uow:
            return json.loads(ApplicationsRepository(uow._cursor, cache).list_json())

    assert [a["name"] for a in listed()] == ["a"]
    stamp = cache._stamp
    assert [a["name"] for a in listed()] == ["a"] and cache._stamp == stamp
    db.cursor().execute("UPDATE applications SET comments = 'changed behind our back'")
    assert listed()[0]["comments"] == "changed behind our back"
    db.cursor().execute("INSERT INTO applications (id, name) VALUES (%s, 'b')", (B,))
    assert [a["name"] for a in listed()] == ["a", "b"]
    db.cursor().execute("UPDATE applications SET name = name")  # same values, new row versions
    assert cache._stamp != stamp and [a["name"] for a in listed()] == ["a", "b"]


def test_cache_hits_and_misses():
    cache = ListCache()
    assert cache.get((0, 0)) is None
    cache.put((1, 5), "[1]")
    assert cache.get((1, 5)) == "[1]" and cache.get((1, 6)) is None
