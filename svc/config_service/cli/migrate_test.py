from config_service.cli import migrate


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
