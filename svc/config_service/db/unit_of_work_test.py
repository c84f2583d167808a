import json
import time

import pytest

from config_service.audit.events import RequestContext, stamp
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import AlreadyExists, DatabaseUnavailable, HistoryInconsistent
from test.sql_writes import insert_application

APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
CONTEXT = RequestContext("r")


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


def counts_of_events(db) -> int:
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM config_events")
        return cur.fetchone()["n"]


def test_a_write_and_its_event_commit_together_in_one_statement(pool, db):
    with uow(pool) as work:
        work.applications.create(APP_ID, "kept", None, stamp(CONTEXT))
        assert work._conn.info.transaction_status == 0  # committed already: nothing open
    assert app_names(db) == ["kept"] and counts_of_events(db) == 1


def test_the_database_refuses_a_row_without_its_event(pool, db):
    with pytest.raises(HistoryInconsistent) as caught:
        with uow(pool) as work:
            work._cursor.execute("INSERT INTO applications (id, name) VALUES (%s, 'unaudited')", (APP_ID,))
    assert "no event" in str(caught.value.__cause__)
    assert app_names(db) == []


def test_an_event_that_fails_undoes_its_row(pool, db):
    with pytest.raises(Exception, match="config_events_id_check"):
        with uow(pool) as work:
            work.applications.create(APP_ID, "x", None, {**stamp(CONTEXT), "event_id": "short"})
    assert app_names(db) == [] and counts_of_events(db) == 0


def test_driver_errors_are_translated_and_the_connection_goes_back_clean(pool, db):
    insert_application(db, APP_ID, "taken")
    with pytest.raises(AlreadyExists):
        with uow(pool) as work:
            work.applications.create("01ARZ3NDEKTSV4RRFFQ69G5FAW", "taken", None, stamp(CONTEXT))
    assert app_names(db) == ["taken"] and counts_of_events(db) == 1
    with uow(pool) as work:  # the same connection, its statement still prepared
        work.applications.create("01ARZ3NDEKTSV4RRFFQ69G5FAW", "free", None, stamp(CONTEXT))
        assert len(json.loads(work.applications.list_json())) == 2


def test_any_exception_leaves_and_returns_the_connection(pool, db):
    with pytest.raises(RuntimeError):
        with uow(pool) as work:
            raise RuntimeError("boom")
    with uow(pool) as work:  # the only connection was returned
        assert work.applications.list_json() == "[]"


def test_a_connection_killed_under_a_write_is_unavailable_and_discarded(pool, db):
    with pytest.raises(DatabaseUnavailable):
        with uow(pool) as work:
            db.cursor().execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = '' AND pid <> pg_backend_pid() AND datname = current_database()"
            )
            work.applications.create(APP_ID, "x", None, stamp(CONTEXT))
    assert app_names(db) == []
    with uow(pool) as work:
        assert work.applications.list_json() == "[]"
