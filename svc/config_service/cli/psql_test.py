from config_service.db import local_postgres
from config_service.cli import psql


def test_command_and_client_lookup(monkeypatch):
    assert psql.psql_command("postgresql://x/y", "/bin/psql") == ["/bin/psql", "postgresql://x/y"]
    assert psql.find_psql() == str(local_postgres.tool("psql"))
    missing = local_postgres.tool("no-such-program")
    monkeypatch.setattr(psql.local_postgres, "tool", lambda name: missing)
    monkeypatch.setattr(psql.shutil, "which", lambda name: "/usr/bin/psql")
    assert psql.find_psql() == "/usr/bin/psql"


def test_main_execs_psql_on_the_configured_database(monkeypatch):
    calls = []
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setattr(psql, "find_psql", lambda: "/usr/bin/psql")
    monkeypatch.setattr(psql.os, "execv", lambda path, args: calls.append((path, args)))
    psql.main(["-c", "SELECT 1"])
    assert calls == [("/usr/bin/psql", ["/usr/bin/psql", "postgresql://u@localhost/db", "-c", "SELECT 1"])]


def test_main_without_a_client_or_with_bad_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setattr(psql, "find_psql", lambda: None)
    assert psql.main([]) == 1
    monkeypatch.setenv("PORT", "x")
    assert psql.main([]) == 2


def test_auditor_sessions_are_read_only_as_the_auditor_role(monkeypatch):
    calls = []
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setenv("MIGRATION_DATABASE_URL", "postgresql://owner@localhost/db")
    monkeypatch.setattr(psql, "find_psql", lambda: "/usr/bin/psql")
    monkeypatch.setattr(psql.os, "execv", lambda path, args: calls.append((path, args, psql.os.environ["PGOPTIONS"])))
    monkeypatch.setenv("PGOPTIONS", "")  # recorded, so the value main() sets is undone afterwards
    psql.main(["--auditor", "-c", "SELECT 1"])
    [(path, args, options)] = calls
    assert args == ["/usr/bin/psql", "postgresql://owner@localhost/db", "-c", "SELECT 1"]
    assert options == "-c role=config_service_auditor -c default_transaction_read_only=on"
