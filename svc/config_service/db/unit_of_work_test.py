import json
import time

import pytest

from config_service.audit.events import RequestContext, build_event
from config_service.errors import AlreadyExists, DatabaseUnavailable, HistoryInconsistent
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.repositories.applications import snapshot
from test.sql_writes import insert_application

APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


@pytest.fixture
def pool(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    yield pool
    pool.close()


def uow(pool) -> UnitOfWork:
    return UnitOfWork(pool, time.monotonic() + 2)


def app_names(db) -> list[str]:
    with db.cursor() as cur:
        cur.execute("SELECT name FROM applications ORDER BY name")
        return [r["name"] for r in cur.fetchall()]


def test_commit_keeps_the_writes(pool, db):
    with uow(pool) as work:
        work.begin()
        row = work.applications.add(APP_ID, "kept", None)
        work.events.append(build_event("application", 1, None, snapshot(row), RequestContext("r")))
        work.commit()
    assert app_names(db) == ["kept"]


def test_the_database_refuses_a_commit_without_the_event(pool, db):
    with pytest.raises(HistoryInconsistent) as caught:
        with uow(pool) as work:
            work.begin()
            work.applications.add(APP_ID, "unaudited", None)
            work.commit()
    assert "no event" in str(caught.value.__cause__)
    assert app_names(db) == []


def test_rolls_back_by_default(pool, db):
    with uow(pool) as work:
        work.begin()
        work.applications.add(APP_ID, "forgotten", None)
    assert app_names(db) == []


def test_rolls_back_on_error_and_translates_driver_errors(pool, db):
    with pytest.raises(AlreadyExists):
        with uow(pool) as work:
            work.begin()
            work.applications.add(APP_ID, "dup", None)
            work.applications.add("01ARZ3NDEKTSV4RRFFQ69G5FAW", "dup", None)
    assert app_names(db) == []
    with uow(pool) as work:  # the connection went back clean
        assert work.applications.list_json() == "[]"


def test_rolls_back_on_any_exception(pool, db):
    with pytest.raises(RuntimeError):
        with uow(pool) as work:
            work.begin()
            work.applications.add(APP_ID, "x", None)
            raise RuntimeError("boom")
    assert app_names(db) == []


def test_event_failure_undoes_the_entity(pool, db):
    with pytest.raises(Exception):
        with uow(pool) as work:
            work.begin()
            work.applications.add(APP_ID, "x", None)
            work.events.append({"id": "short"})  # missing columns: the driver refuses
    assert app_names(db) == []


def test_connection_killed_mid_transaction_is_unavailable_and_discarded(pool, db):
    with pytest.raises(DatabaseUnavailable):
        with uow(pool) as work:
            work.begin()
            work.applications.add(APP_ID, "x", None)
            db.cursor().execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = '' AND pid <> pg_backend_pid() AND datname = current_database()"
            )
            work.applications.add("01ARZ3NDEKTSV4RRFFQ69G5FAW", "y", None)
    assert app_names(db) == []
    with uow(pool) as work:
        assert work.applications.list_json() == "[]"


def test_begin_travels_with_the_first_statement_and_events_with_commit(pool, db):
    with uow(pool) as work:
        work.begin()
        assert work._cursor.prefix == "BEGIN;"  # nothing sent yet
        row = work.applications.add(APP_ID, "a", None)
        assert work._cursor.prefix is None
        assert work._conn.info.transaction_status != 0  # inside the transaction now
        work.events.append(build_event("application", 1, None, snapshot(row), RequestContext("r")))
        assert counts_of_events(db) == 0  # queued, not sent
        work.commit()
    assert counts_of_events(db) == 1
    assert app_names(db) == ["a"]


def test_leaving_before_any_statement_sends_nothing(pool, db):
    with uow(pool) as work:
        work.begin()
    with uow(pool) as work:
        assert work.applications.list_json() == "[]"


def counts_of_events(db) -> int:
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM config_events")
        return cur.fetchone()["n"]


def test_a_queued_create_goes_in_one_round_trip_with_begin_and_commit(pool, db):
    with uow(pool) as work:
        work.begin()
        row = work.applications.add_at_commit(APP_ID, "queued", None)
        work.events.append(build_event("application", 1, None, snapshot(row), RequestContext("r")))
        assert work._conn.info.transaction_status == 0 and app_names(db) == []  # nothing sent yet
        work.commit()
    assert app_names(db) == ["queued"] and counts_of_events(db) == 1
    assert row == {"id": APP_ID, "name": "queued", "comments": None, "version": 1, "configurations": 0}


def test_a_queued_create_that_fails_at_commit_leaves_nothing(pool, db):
    insert_application(db, APP_ID, "taken")
    with pytest.raises(AlreadyExists):
        with uow(pool) as work:
            work.begin()
            row = work.applications.add_at_commit("01ARZ3NDEKTSV4RRFFQ69G5FAW", "taken", None)
            work.events.append(build_event("application", 1, None, snapshot(row), RequestContext("r")))
            work.commit()
    assert app_names(db) == ["taken"] and counts_of_events(db) == 1
    with uow(pool) as work:  # the connection went back clean
        assert len(json.loads(work.applications.list_json())) == 1
