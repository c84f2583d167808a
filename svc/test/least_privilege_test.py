"""The service's role and the auditor's cannot alter the log; nobody deletes entities."""

import psycopg2
import pytest

from config_service.db import local_postgres, roles
from test.sql_writes import insert_application

APP = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def connect(url):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


@pytest.fixture
def as_service(service_database_url, db):
    insert_application(db, APP, "a")
    conn = connect(service_database_url)
    yield conn
    conn.close()


@pytest.fixture
def as_auditor(database_url, db):
    insert_application(db, APP, "a")
    conn = connect(local_postgres.with_user(database_url, roles.AUDITOR_ROLE))
    yield conn
    conn.close()


def refused(conn, sql: str) -> psycopg2.Error:
    with pytest.raises(psycopg2.Error) as caught:
        conn.cursor().execute(sql)
    return caught.value


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE config_events SET actor = 'x'",
        "DELETE FROM config_events",
        "TRUNCATE config_events",
        "ALTER TABLE config_events DISABLE TRIGGER config_events_append_only",
        "ALTER TABLE config_events DISABLE TRIGGER USER",
        "SET session_replication_role = replica",
        f"DELETE FROM applications WHERE id = '{APP}'",
        "TRUNCATE applications CASCADE",
        "DELETE FROM configurations",
        "DROP TABLE config_events",
        "CREATE TABLE intruder (id int)",
        "INSERT INTO audit_checkpoints (seq) VALUES (1)",
        "SELECT config_events_checkpoint()",
    ],
)
def test_the_service_role_cannot_alter_the_log(as_service, db, sql):
    error = refused(as_service, sql)
    assert isinstance(error, psycopg2.errors.InsufficientPrivilege), error
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM config_events")
        assert cur.fetchone()["n"] == 1


def test_the_service_role_is_no_superuser_and_owns_nothing(as_service):
    with as_service.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert cur.fetchone() == (False,)
        cur.execute("SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)")
        assert cur.fetchone() == (0,)


@pytest.mark.parametrize(
    "sql",
    [
        "INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FA2', 'b')",
        "UPDATE applications SET name = 'x'",
        "INSERT INTO config_events (id) VALUES ('x')",
        "UPDATE config_events SET actor = 'x'",
        "INSERT INTO audit_checkpoints (seq) VALUES (1)",
        "SELECT config_events_checkpoint()",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_auditor_cannot_write(as_auditor, sql):
    assert isinstance(refused(as_auditor, sql), psycopg2.errors.InsufficientPrivilege)


def test_the_auditor_reads_and_verifies(as_auditor):
    with as_auditor.cursor() as cur:
        cur.execute("SELECT count(*) FROM config_events")
        assert cur.fetchone() == (1,)
        cur.execute("SELECT count(*) FROM config_events_verify()")
        assert cur.fetchone() == (0,)


def test_even_the_owner_cannot_delete_entities(db):
    insert_application(db, APP, "a")
    for sql in (f"DELETE FROM applications WHERE id = '{APP}'", "TRUNCATE configurations"):
        assert "not allowed" in str(refused(db, sql))
