import json
from datetime import datetime, timedelta, timezone

import pytest

from test.sql_writes import insert_application, insert_configuration, update_application
from test.work import pool_for, unit_of_work

A, C = "01ARZ3NDEKTSV4RRFFQ69G5FA1", "01ARZ3NDEKTSV4RRFFQ69G5FC1"


@pytest.fixture
def pool(database_url):
    with pool_for(database_url) as pool:
        yield pool


def test_pages_versions_and_existence(pool, db):
    app = insert_application(db, A, "a")
    for version in range(1, 4):
        app = update_application(db, app, version, comments=f"v{version + 1}")
    with unit_of_work(pool) as uow:
        rows = uow.history.page("application", A, 2, None)
        assert [r["version"] for r in rows] == [4, 3, 2]  # one more than the page
        assert json.loads(rows[0]["body"])["after"]["comments"] == "v4"
        assert [r["version"] for r in uow.history.page("application", A, 10, 3)] == [2, 1]
        assert uow.history.at_version("application", A, 2)["after"]["comments"] == "v2"
        assert uow.history.at_version("application", A, 5) is None
        assert uow.history.latest_version("application", A) == 4
        assert uow.history.latest_version("configuration", A) is None
        assert uow.history.exists("application", A) and not uow.history.exists("configuration", A)


def test_as_of_reads_the_latest_event_at_or_before_the_instant(pool, db):
    insert_application(db, A, "a")
    insert_configuration(db, C, A, "c", {"k": 1})
    with db.cursor() as cur:
        cur.execute("SELECT entity_type, occurred_at FROM config_events ORDER BY seq")
        app_at, config_at = [r["occurred_at"] for r in cur.fetchall()]
    with unit_of_work(pool) as uow:
        assert uow.history.as_of("application", A, app_at - timedelta(microseconds=1)) is None
        assert json.loads(uow.history.as_of("application", A, app_at)["body"])["configuration_ids"] == []
        assert json.loads(uow.history.as_of("application", A, config_at)["body"])["configuration_ids"] == [C]
        later = datetime.now(timezone.utc) + timedelta(days=1)
        row = uow.history.as_of("configuration", C, later)
        assert json.loads(row["body"])["config"] == {"k": 1} and row["version"] == 1
