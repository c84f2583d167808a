import threading

import psycopg2
import pytest

from config_service.db import migrations
from config_service.db.migrations import Migration, MigrationError
from test.sql_writes import insert_application, insert_configuration, update_application


def write(directory, name: str, sql: str) -> None:
    (directory / name).write_text(sql)


def applied(url) -> list[tuple[int, str]]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT version, name FROM migrations ORDER BY version")
            return cur.fetchall()
    finally:
        conn.close()


def tables(url) -> set[str]:
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return {r[0] for r in cur.fetchall()}
    finally:
        conn.close()


def test_discover_orders_by_version_and_rejects_bad_names(tmp_path):
    write(tmp_path, "0002_second.sql", "SELECT 2")
    write(tmp_path, "0010_tenth.sql", "SELECT 10")
    write(tmp_path, "0001_first.sql", "SELECT 1")
    assert [m.version for m in migrations.discover(tmp_path)] == [1, 2, 10]
    write(tmp_path, "3_bad.sql", "SELECT 3")
    with pytest.raises(MigrationError, match="expected a name like"):
        migrations.discover(tmp_path)


def test_duplicate_versions_are_refused(tmp_path):
    write(tmp_path, "0001_a.sql", "SELECT 1")
    write(tmp_path, "0001_b.sql", "SELECT 1")
    with pytest.raises(MigrationError, match="appears twice"):
        migrations.discover(tmp_path)


def test_project_migrations_apply_in_order_and_only_once(empty_database_url):
    first = migrations.migrate(empty_database_url)
    assert [m.version for m in first] == [m.version for m in migrations.discover()]
    assert migrations.migrate(empty_database_url) == []
    assert [v for v, _ in applied(empty_database_url)] == [m.version for m in first]
    assert {"applications", "configurations", "config_events", "migrations"} <= tables(empty_database_url)


def test_a_failing_migration_leaves_no_trace(empty_database_url):
    good = Migration(1, "good", "CREATE TABLE good (id int)")
    bad = Migration(2, "bad", "CREATE TABLE half (id int); SELECT no_such_column FROM good")
    with pytest.raises(MigrationError, match="0002_bad failed"):
        migrations.migrate(empty_database_url, [good, bad])
    assert applied(empty_database_url) == [(1, "good")]
    assert "half" not in tables(empty_database_url)


def test_checksum_drift_stops_the_run(empty_database_url):
    migrations.migrate(empty_database_url, [Migration(1, "one", "CREATE TABLE one (id int)")])
    edited = [Migration(1, "one", "CREATE TABLE one (id bigint)"), Migration(2, "two", "SELECT 1")]
    with pytest.raises(MigrationError, match="changed after it was applied"):
        migrations.migrate(empty_database_url, edited)
    assert applied(empty_database_url) == [(1, "one")]


def test_unreachable_database_is_one_clear_error(tmp_path):
    with pytest.raises(MigrationError, match="cannot reach the database"):
        migrations.migrate(f"postgresql://postgres@/postgres?host={tmp_path}", [])


def test_concurrent_migrators_apply_each_migration_once(empty_database_url):
    # Slow first migration: the others must wait on the advisory lock, then find nothing to do.
    plan = [
        Migration(1, "slow", "SELECT pg_sleep(0.3); CREATE TABLE counted (id int)"),
        Migration(2, "insert", "INSERT INTO counted VALUES (1)"),
    ]
    results, failures = [], []
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        try:
            results.append(migrations.migrate(empty_database_url, plan))
        except Exception as exc:  # surfaced by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(len(r) for r in results) == [0, 0, 0, 2]
    conn = psycopg2.connect(empty_database_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM counted")
        assert cur.fetchone()[0] == 1
    conn.close()


def test_schema_refuses_changes_to_the_audit_log(db):
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a")
    for sql in ("DELETE FROM config_events", "UPDATE config_events SET actor = 'x'", "TRUNCATE config_events"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege, match="append-only"):
            db.cursor().execute(sql)
    with pytest.raises(psycopg2.errors.IntegrityConstraintViolation, match="does not follow"):
        db.cursor().execute(
            "INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version,"
            " before, after, changed_fields, request_id) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAX',"
            " 'application', '01ARZ3NDEKTSV4RRFFQ69G5FAV', '01ARZ3NDEKTSV4RRFFQ69G5FAV', 'updated', 3,"
            " '{}', '{}', '{}', 'r')"
        )


def test_schema_refuses_writes_without_their_event(db):
    app = insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "a")
    audited = psycopg2.errors.IntegrityConstraintViolation
    with pytest.raises(audited, match="no event for application"):
        db.cursor().execute("INSERT INTO applications (id, name) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAW', 'b')")
    with pytest.raises(audited, match="must advance version"):
        db.cursor().execute("UPDATE applications SET name = 'x'")
    with pytest.raises(audited, match="no event for application"):
        db.cursor().execute("UPDATE applications SET name = 'x', version = version + 1")
    with pytest.raises(audited, match="a new row has version 1"):
        db.cursor().execute("INSERT INTO applications (id, name, version) VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FAX', 'c', 2)")
    update_application(db, app, 1, name="renamed")
    with db.cursor() as cur:
        cur.execute("SELECT name, version FROM applications")
        assert cur.fetchall() == [{"name": "renamed", "version": 2}]
    insert_configuration(db, "01ARZ3NDEKTSV4RRFFQ69G5FC1", app["id"], "c")
    with pytest.raises(audited, match="configurations: an update must advance version from 1 to 2, not 3"):
        db.cursor().execute("UPDATE configurations SET version = 3")
    with pytest.raises(audited, match="configurations: a new row has version 1, not 2"):
        db.cursor().execute(
            "INSERT INTO configurations (id, application_id, name, config, version)"
            " VALUES ('01ARZ3NDEKTSV4RRFFQ69G5FC2', %s, 'd', '{}', 2)", (app["id"],)
        )
