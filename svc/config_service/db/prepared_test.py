import psycopg2
import pytest
from psycopg2.extras import RealDictCursor

from config_service.db.pool import ExactJsonConnection
from config_service.db.prepared import ATTEMPTS, Prepared, PreparingCursorMixin

STATEMENT = Prepared("pair", "SELECT %(a)s AS a, %(b)s AS b, %(a)s || %(b)s AS ab", {"a": "text", "b": "text"})


def test_placeholders_become_numbered_parameters_once_each():
    assert STATEMENT.prepare == "PREPARE pair (text, text) AS SELECT $1 AS a, $2 AS b, $1 || $2 AS ab"
    assert STATEMENT.execute == "EXECUTE pair (%(a)s, %(b)s)"


def test_every_placeholder_needs_a_type_and_every_type_a_placeholder():
    with pytest.raises(ValueError, match="placeholders"):
        Prepared("x", "SELECT %(a)s, %(b)s", {"a": "text"})
    with pytest.raises(ValueError, match="placeholders"):
        Prepared("x", "SELECT %(a)s", {"a": "text", "b": "int"})


class Cursor(PreparingCursorMixin, RealDictCursor):
    pass


def prepared_names(cur) -> list[str]:
    cur.execute("SELECT name FROM pg_prepared_statements")
    return [row["name"] for row in cur.fetchall()]


def test_a_connection_prepares_on_first_use_only(database_url):
    conn = psycopg2.connect(database_url, connection_factory=ExactJsonConnection)
    conn.autocommit = True
    try:
        cur = conn.cursor(cursor_factory=Cursor)
        assert prepared_names(cur) == []
        cur.run(STATEMENT, {"a": "x", "b": "y"})
        assert cur.fetchone() == {"a": "x", "b": "y", "ab": "xy"}
        cur.run(STATEMENT, {"a": "1", "b": None, "unused": 3})
        assert cur.fetchone() == {"a": "1", "b": None, "ab": None}
        assert prepared_names(cur) == ["pair"] and conn.prepared == {"pair"}
    finally:
        conn.close()


def test_a_prepare_that_fails_is_not_remembered(database_url):
    broken = Prepared("broken", "SELECT %(a)s FROM no_such_table", {"a": "text"})
    conn = psycopg2.connect(database_url, connection_factory=ExactJsonConnection)
    conn.autocommit = True
    try:
        with pytest.raises(psycopg2.errors.UndefinedTable):
            conn.cursor(cursor_factory=Cursor).run(broken, {"a": "x"})
        assert conn.prepared == set()
    finally:
        conn.close()


FLAKY = """
CREATE SEQUENCE attempts;
CREATE FUNCTION refused_until(n bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE attempt bigint := nextval('attempts');
BEGIN
    IF attempt < n THEN
        RAISE EXCEPTION 'attempt %', attempt USING ERRCODE = 'serialization_failure';
    END IF;
    RETURN attempt;
END;
$$;
"""
REFUSED_UNTIL = Prepared("refused_until", "SELECT refused_until(%(n)s) AS attempt", {"n": "bigint"})


def test_a_statement_refused_with_serialization_failure_runs_again(db, database_url):
    db.cursor().execute(FLAKY)
    conn = psycopg2.connect(database_url, connection_factory=ExactJsonConnection)
    conn.autocommit = True
    try:
        cur = conn.cursor(cursor_factory=Cursor)
        cur.run(REFUSED_UNTIL, {"n": 3})  # refused twice, then answered
        assert cur.fetchone() == {"attempt": 3}
        with pytest.raises(psycopg2.errors.SerializationFailure):  # refused every time: ATTEMPTS, then raised
            cur.run(REFUSED_UNTIL, {"n": 100})
        cur.execute("SELECT last_value FROM attempts")
        assert cur.fetchone() == {"last_value": 3 + ATTEMPTS}
        conn.autocommit = False  # inside a transaction, earlier statements are gone: not run again
        with pytest.raises(psycopg2.errors.SerializationFailure):
            cur.run(REFUSED_UNTIL, {"n": 100})
        conn.rollback()
        cur.execute("SELECT last_value FROM attempts")
        assert cur.fetchone() == {"last_value": 4 + ATTEMPTS}
    finally:
        conn.close()
