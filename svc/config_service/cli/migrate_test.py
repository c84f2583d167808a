from config_service.db import local_postgres
from config_service.cli import migrate
from test.fixtures import admin_execute


def test_run_migrations_reports_applied_then_nothing(empty_database_url, capsys):
    assert migrate.run_migrations(empty_database_url)
    assert "migrate: applied 0001_" in capsys.readouterr().out
    assert migrate.run_migrations(empty_database_url)
    assert "nothing to apply" in capsys.readouterr().out


def test_run_migrations_fails_with_one_line(tmp_path, capsys):
    assert not migrate.run_migrations(f"postgresql://postgres@/postgres?host={tmp_path}", 1)
    err = capsys.readouterr().err
    assert err.startswith("migrate: cannot reach the database") and err.count("\n") == 1


def test_main_uses_database_url_and_reports_bad_settings(empty_database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    assert migrate.main() == 0
    monkeypatch.setenv("PORT", "nope")
    assert migrate.main() == 2
    assert "PORT" in capsys.readouterr().err


def test_a_role_that_cannot_create_is_told_to_use_the_owner(empty_database_url, capsys):
    admin_execute(empty_database_url, "DROP ROLE IF EXISTS cannot_create; CREATE ROLE cannot_create LOGIN")
    try:
        assert not migrate.run_migrations(local_postgres.with_user(empty_database_url, "cannot_create"))
        err = capsys.readouterr().err
        assert "permission denied" in err and "MIGRATION_DATABASE_URL" in err and err.count("\n") == 1
    finally:
        admin_execute(empty_database_url, "DROP OWNED BY cannot_create; DROP ROLE cannot_create")
