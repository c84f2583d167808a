import json

import pytest

from config_service.errors import NotFound
from config_service.services import history
from test.sql_writes import insert_application, update_application
from test.work import pool_for, unit_of_work

A, MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FA9"


@pytest.fixture
def pool(database_url, db):
    app = insert_application(db, A, "a")
    for version in range(1, 3):
        app = update_application(db, app, version, name=f"a{version + 1}")
    with pool_for(database_url) as pool:
        yield pool


def test_pages_link_to_the_next_one(pool):
    body, next_path = history.page_json(unit_of_work(pool), "application", A, 2, None)
    page = json.loads(body)
    assert next_path == page["next"]
    assert [e["version"] for e in page["items"]] == [3, 2]
    assert page["next"] == f"/api/v1/applications/{A}/history?limit=2&before_version=2"
    last = json.loads(history.page_json(unit_of_work(pool), "application", A, 2, 2)[0])
    assert [e["version"] for e in last["items"]] == [1] and last["next"] is None
    with pytest.raises(NotFound, match="Application not found"):
        history.page_json(unit_of_work(pool), "application", MISSING, 2, None)


def test_versions_and_diffs(pool):
    assert json.loads(history.version_json(unit_of_work(pool), "application", A, 1))["name"] == "a"
    with pytest.raises(NotFound, match="has no version 4"):
        history.version_json(unit_of_work(pool), "application", A, 4)
    patch = json.loads(history.diff_json(unit_of_work(pool), "application", A, 1, None))
    assert patch == [{"op": "replace", "path": "/name", "value": "a3"}]
    with pytest.raises(NotFound, match="Configuration not found"):
        history.diff_json(unit_of_work(pool), "configuration", A, 1, None)
    with pytest.raises(NotFound, match="no version 9"):
        history.diff_json(unit_of_work(pool), "application", A, 1, 9)
