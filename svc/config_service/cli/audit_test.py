import hashlib
from config_service.cli import audit


def test_main_verifies_and_checkpoints_the_configured_database(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert audit.main(["checkpoint"]) == 0
    empty = "0." + hashlib.sha256(b"").hexdigest()  # an empty log: no chain heads
    assert capsys.readouterr().out.strip().splitlines()[-1] == empty
    assert audit.main(["verify", "--checkpoint", empty]) == 0
    assert capsys.readouterr().out.startswith("audit verify: intact: 0 events up to seq 0, matches checkpoint")
    assert audit.main(["verify", "--checkpoint", "0-none"]) == 0  # as printed before migration 0010
    assert capsys.readouterr().out.startswith("audit verify: intact: 0 events up to seq 0, matches checkpoint")


def test_usage_settings_and_connection_errors_are_exit_2(database_url, service_database_url, monkeypatch, tmp_path, capsys):
    assert audit.main([]) == 2
    assert audit.main(["verify", "--nope"]) == 2
    assert audit.main(["--help"]) == 0
    assert audit.run("verify", "not-a-checkpoint", database_url) == 2
    assert "not a checkpoint" in capsys.readouterr().err
    assert audit.run("checkpoint", None, service_database_url) == 2  # the service's role records none
    assert capsys.readouterr().err.startswith("audit: permission denied")
    assert audit.run("verify", None, f"postgresql://postgres@/postgres?host={tmp_path}", 1) == 2
    assert capsys.readouterr().err.startswith("audit: cannot reach the database")
    monkeypatch.setenv("PORT", "x")
    assert audit.main(["verify"]) == 2
