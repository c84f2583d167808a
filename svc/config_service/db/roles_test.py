import psycopg2
import pytest

from config_service.db import local_postgres, roles


def test_the_local_app_role_may_log_in_and_is_not_warned_about(database_url):
    roles.enable_local_logins(database_url)
    assert roles.protection_warning(local_postgres.with_user(database_url, roles.APP_ROLE)) is None


def test_a_superuser_is_warned_about(database_url):
    warning = roles.protection_warning(database_url)
    assert "superuser" in warning and "not protected" in warning


def test_an_owner_is_warned_about(database_url, db):
    db.cursor().execute("DROP ROLE IF EXISTS table_owner; CREATE ROLE table_owner LOGIN")
    try:
        db.cursor().execute("ALTER TABLE config_events OWNER TO table_owner")
        assert "owns the tables" in roles.protection_warning(local_postgres.with_user(database_url, "table_owner"))
    finally:
        db.cursor().execute("ALTER TABLE config_events OWNER TO postgres; DROP ROLE table_owner")


def test_an_unreachable_database_raises(tmp_path):
    with pytest.raises(psycopg2.OperationalError):
        roles.protection_warning(f"postgresql://postgres@/postgres?host={tmp_path}", connect_timeout=1)
