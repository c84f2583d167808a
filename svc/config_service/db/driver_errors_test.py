import psycopg2
import pytest

from config_service.db import driver_errors as db_errors
from config_service.errors import AlreadyExists, DatabaseBusy, DatabaseUnavailable, InvalidReference
from test.sql_writes import insert_application


def raised_by(conn, sql: str) -> psycopg2.Error:
    with pytest.raises(psycopg2.Error) as caught:
        with conn.cursor() as cur:
            cur.execute(sql)
    return caught.value


def test_known_constraints_become_domain_errors(db):
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a")
    duplicate = raised_by(db, "INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAW', 'a')")
    assert isinstance(db_errors.translate(duplicate), AlreadyExists)
    missing = raised_by(
        db,
        "INSERT INTO configurations (id, application_id, name, config) "
        "VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAX', '01ARZ3NDEKTSV4RRFFQ69G5FAY', 'c', '{}')",
    )
    assert isinstance(db_errors.translate(missing), InvalidReference)


def test_timeouts_are_busy_and_lost_connections_unavailable(db):
    db.cursor().execute("SET statement_timeout = 10")
    timeout = raised_by(db, "SELECT pg_sleep(1)")
    assert isinstance(db_errors.translate(timeout), DatabaseBusy)
    assert not db_errors.is_connection_error(timeout)
    lost = psycopg2.OperationalError("server closed the connection unexpectedly")
    assert isinstance(db_errors.translate(lost), DatabaseUnavailable)
    assert db_errors.is_connection_error(lost)


def test_a_write_that_collided_is_busy_and_keeps_its_connection(db):
    refused = raised_by(db, "DO $$ BEGIN RAISE EXCEPTION 'x' USING ERRCODE = 'serialization_failure'; END $$")
    assert isinstance(db_errors.translate(refused), DatabaseBusy)
    assert not db_errors.is_connection_error(refused)


def test_other_errors_are_left_alone(db):
    assert db_errors.translate(raised_by(db, "SELECT 1/0")) is None
    assert db_errors.translate(raised_by(db, "DELETE FROM config_events")) is None


def test_a_bare_database_error_without_sqlstate_is_a_lost_connection():
    assert db_errors.is_connection_error(psycopg2.DatabaseError("server closed the connection unexpectedly"))
    assert not db_errors.is_connection_error(psycopg2.ProgrammingError("bad query"))
    assert not db_errors.is_connection_error(None)
