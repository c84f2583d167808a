from types import SimpleNamespace

from config_service import psql


def test_command_and_client_lookup(tmp_path, monkeypatch):
    assert psql.psql_command("postgresql://x/y", "/bin/psql") == ["/bin/psql", "postgresql://x/y"]
    (tmp_path / "psql").write_text("")
    assert psql.find_psql(SimpleNamespace(bin_path=str(tmp_path))) == str(tmp_path / "psql")
    monkeypatch.setattr(psql.shutil, "which", lambda name: "/usr/bin/psql")
    assert psql.find_psql(SimpleNamespace(bin_path="/nonexistent")) == "/usr/bin/psql"
    assert psql.find_psql(None) == "/usr/bin/psql"


def test_main_execs_psql_on_the_configured_database(monkeypatch):
    calls = []
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setattr(psql.shutil, "which", lambda name: "/usr/bin/psql")
    monkeypatch.setattr(psql.os, "execv", lambda path, args: calls.append((path, args)))
    psql.main(["-c", "SELECT 1"])
    assert calls == [("/usr/bin/psql", ["/usr/bin/psql", "postgresql://u@localhost/db", "-c", "SELECT 1"])]


def test_main_without_a_client_or_with_bad_settings(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@localhost/db")
    monkeypatch.setattr(psql.shutil, "which", lambda name: None)
    assert psql.main([]) == 1
    monkeypatch.setenv("PORT", "x")
    assert psql.main([]) == 2
