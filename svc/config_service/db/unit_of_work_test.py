import json
import time

import pytest

from config_service.audit.events import RequestContext, stamp
from config_service.db.announcer import AFTER_COMMIT
from config_service.db.pool import ConnectionPool
from config_service.db.unit_of_work import UnitOfWork
from config_service.errors import AlreadyExists, DatabaseUnavailable, HistoryInconsistent
from config_service.ids import new_id
from config_service.models import TokenIn
from config_service.services import tokens
from test.notifications import received
from test.sql_writes import insert_application
from test.tokens import SETUP, remember

APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
OTHER_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAW"
CONF_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAX"
CONTEXT = RequestContext("r", actor="someone")


@pytest.fixture
def pool(database_url):
    pool = ConnectionPool(database_url, 1, 1)
    yield pool
    pool.close()


@pytest.fixture
def service_pool(database_url):
    """As the service's: its sessions announce their events after the commit (0014)."""
    pool = ConnectionPool(database_url, 1, 1, options=AFTER_COMMIT)
    yield pool
    pool.close()


class Collecting:
    """An announcer that keeps what it is handed."""

    def __init__(self) -> None:
        self.hints: list[str] = []

    def announce(self, hints) -> None:
        self.hints.extend(hints)


def uow(pool, announcer=None) -> UnitOfWork:
    return UnitOfWork(pool, time.monotonic() + 2, announcer=announcer)


def next_hints(conn) -> list[dict]:
    """The hints that arrived, waiting up to 5 s for the first."""
    return [json.loads(payload) for payload in received(conn, 1)]


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


def test_a_service_session_hands_the_hints_of_what_it_committed_to_the_announcer(service_pool, listening, db):
    announcer = Collecting()
    with uow(service_pool, announcer) as work:
        work.applications.create(APP_ID, "kept", None, stamp(CONTEXT))
        created = work.configurations.create(CONF_ID, APP_ID, "c", None, {"a": 1}, stamp(CONTEXT))
        assert "hints" not in created  # taken out of the row
        work.configurations.update(CONF_ID, "c", None, {"a": 2}, stamp(CONTEXT))
        work.configurations.delete(CONF_ID, stamp(CONTEXT))
        work.configurations.restore(CONF_ID, stamp(CONTEXT))
        work.applications.update(APP_ID, "kept", "more", stamp(CONTEXT))
        work.applications.delete(APP_ID, True, stamp(CONTEXT), [new_id()])
        work.applications.restore(APP_ID, stamp(CONTEXT))
        assert announcer.hints == []  # handed over on leaving the block
    with db.cursor() as cur:
        cur.execute("SELECT txid, seq, application_id, entity_type, entity_id, actor FROM config_events ORDER BY seq")
        events = [dict(row) for row in cur.fetchall()]
    assert len(events) == 9 and [json.loads(hint) for hint in announcer.hints] == events
    insert_application(db, OTHER_ID, "by-sql")  # a plain session notifies at its commit
    # The service's events would have arrived before it: they were never notified.
    assert [hint["entity_id"] for hint in next_hints(listening)] == [OTHER_ID]


def test_only_what_committed_is_handed_over(service_pool, db):
    insert_application(db, APP_ID, "taken")
    announcer = Collecting()
    with pytest.raises(AlreadyExists):
        with uow(service_pool, announcer) as work:
            work.applications.create(OTHER_ID, "free", None, stamp(CONTEXT))
            work.applications.create(CONF_ID, "taken", None, stamp(CONTEXT))
    assert [json.loads(hint)["entity_id"] for hint in announcer.hints] == [OTHER_ID]
    refused = Collecting()
    with uow(service_pool, refused) as work:
        assert work.applications.update(OTHER_ID, "free", None, stamp(CONTEXT), [7])["version"] is None
    assert refused.hints == []  # If-Match failed: nothing appended


def test_token_events_notify_at_their_commit_in_a_service_session_too(service_pool, listening):
    announcer = Collecting()
    created = tokens.create(uow(service_pool, announcer), TokenIn(name="t", role="reader"), SETUP)
    remember(created["token"])
    [hint] = next_hints(listening)
    assert (hint["entity_type"], hint["entity_id"]) == ("token", created["id"])
    assert announcer.hints == []
