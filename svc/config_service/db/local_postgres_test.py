import psycopg2
import pytest

from config_service.db import local_postgres


def test_with_database_swaps_only_the_database():
    url = "postgresql://postgres:@/postgres?host=/tmp/sock"
    assert local_postgres.with_database(url, "other") == "postgresql://postgres:@/other?host=/tmp/sock"
    assert local_postgres.with_database("postgresql://u:p@h:5/db", "x") == "postgresql://u:p@h:5/x"


def test_the_server_under_test_is_postgresql_16(admin_url):
    assert local_postgres.server_version(admin_url).startswith("16.")


def test_start_stop_and_restart_keep_the_data(tmp_path):
    server = local_postgres.start(tmp_path / "pg", cleanup_mode="delete")
    try:
        assert local_postgres.server_version(server.get_uri()).startswith("16.")
        local_postgres.stop(server)
        with pytest.raises(psycopg2.OperationalError):
            psycopg2.connect(server.get_uri())
        server.ensure_postgres_running()
        assert local_postgres.server_version(server.get_uri()).startswith("16.")
    finally:
        server.cleanup()


def test_with_user_swaps_only_the_role():
    assert local_postgres.with_user("postgresql://postgres:@/db?host=/tmp/s", "app") == "postgresql://app@/db?host=/tmp/s"
    assert local_postgres.with_user("postgresql://u:p@h:5/db", "x") == "postgresql://x@h:5/db"
