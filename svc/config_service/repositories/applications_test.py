import json

import pytest

from config_service.repositories.applications import snapshot
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
