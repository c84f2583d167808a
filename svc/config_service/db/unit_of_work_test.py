import json
import logging
import select
import time

import psycopg2
import pytest

from config_service.audit.events import RequestContext, stamp
from config_service.db.pool import ConnectionPool
from config_service.db import unit_of_work
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


@pytest.fixture
def service_pool(database_url):
    """As the service's: events announced after their commit (migration 0014)."""
    pool = ConnectionPool(database_url, 1, 1, options="-c config_service.announce=after_commit")
    yield pool
    pool.close()


@pytest.fixture
def listening(database_url):
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    conn.cursor().execute("LISTEN config_events")
    yield conn
    conn.close()


def next_hints(conn) -> list[dict]:
    """The hints that arrived, waiting up to 5 s for the first."""
    if not conn.notifies:
        select.select([conn], [], [], 5)
    conn.poll()
    hints = [json.loads(n.payload) for n in conn.notifies]
    conn.notifies.clear()
    return hints


def pending_hints(work: UnitOfWork) -> str | None:
    work._cursor.execute("SELECT current_setting('config_service.hints', true) AS pending")
    return work._cursor.fetchone()["pending"]


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


def test_a_service_session_announces_its_events_once_committed(service_pool, listening, db):
    with uow(service_pool) as work:
        work.applications.create(APP_ID, "kept", None, stamp(CONTEXT))
        assert counts_of_events(db) == 1  # committed; its hint kept in the session, not sent
        assert json.loads(pending_hints(work))["entity_id"] == APP_ID
    [hint] = next_hints(listening)
    assert (hint["entity_type"], hint["entity_id"]) == ("application", APP_ID)
    with uow(service_pool) as work:  # the same connection: nothing left to announce
        assert pending_hints(work) == ""


def test_a_failed_write_announces_nothing(service_pool, listening, db):
    insert_application(db, APP_ID, "taken")
    assert [h["entity_id"] for h in next_hints(listening)] == [APP_ID]  # the SQL writer's, at commit
    other, third = "01ARZ3NDEKTSV4RRFFQ69G5FAW", "01ARZ3NDEKTSV4RRFFQ69G5FAX"
    with pytest.raises(AlreadyExists):
        with uow(service_pool) as work:
            work.applications.create(other, "taken", None, stamp(CONTEXT))
    with uow(service_pool) as work:
        assert not pending_hints(work)  # the rollback dropped it (never set in this session)
        work.applications.create(third, "free", None, stamp(CONTEXT))
    assert [h["entity_id"] for h in next_hints(listening)] == [third]


def test_reads_announce_nothing_and_writes_by_plain_execute_are_seen(pool):
    with uow(pool) as work:
        work.applications.list_json()
        assert not work._cursor.appended
        work._cursor.execute("SELECT 1 WHERE false AND EXISTS (SELECT 1 FROM config_events)")
        assert not work._cursor.appended
        work._cursor.execute("WITH x AS (INSERT INTO config_events (id) SELECT 'x' WHERE false RETURNING 1) SELECT 1")
        assert work._cursor.appended


def test_an_announcement_that_fails_is_logged_and_the_write_stands(service_pool, db, monkeypatch, caplog):
    monkeypatch.setattr(unit_of_work, "ANNOUNCE", "SELECT config_events_announce_missing()")
    with caplog.at_level(logging.WARNING, logger=unit_of_work.__name__):
        with uow(service_pool) as work:
            work.applications.create(APP_ID, "kept", None, stamp(CONTEXT))
    assert app_names(db) == ["kept"]
    assert "committed events not announced" in caplog.text
    with uow(service_pool) as work:  # the connection went back usable
        assert len(json.loads(work.applications.list_json())) == 1
