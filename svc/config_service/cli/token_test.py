import pytest

from config_service.cli import token
from test.audit_invariants import assert_audit_invariants
from test.tokens import remember


@pytest.fixture
def owner(monkeypatch, database_url):
    monkeypatch.setenv("MIGRATION_DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return database_url


def test_create_list_revoke(owner, db, capsys):
    assert token.main(["create", "--name", "first", "--role", "admin", "--expires-in", "30"]) == 0
    out = capsys.readouterr()
    text = remember(out.out.splitlines()[-1])
    assert text.startswith("cfgs_") and text not in out.err and "role=admin" in out.err
    assert token.main(["list"]) == 0
    listed = capsys.readouterr().out
    assert "name=first" in listed and text not in listed
    token_id = text[5:31]
    assert token.main(["revoke", token_id.lower()]) == 0 and "revoked" in capsys.readouterr().out
    assert token.main(["revoke", token_id]) == 1 and "revoked already" in capsys.readouterr().err
    with db.cursor() as cur:
        cur.execute("SELECT actor, token_id, action FROM config_events WHERE entity_type = 'token' ORDER BY seq")
        events = cur.fetchall()
    assert [e["action"] for e in events] == ["created", "revoked"]
    assert all(e["actor"].startswith("cli:") and e["token_id"] is None for e in events)
    assert_audit_invariants(db)


@pytest.mark.parametrize("args", [
    ["create", "--name", "x", "--role", "root"],
    ["create", "--name", "x", "--role", "reader", "--expires-in", "400"],
    ["create", "--name", "", "--role", "reader"],
    ["create", "--name", "x", "--role", "admin", "--application", "01ARZ3NDEKTSV4RRFFQ69G5FA1"],
    ["revoke", "not-a-ulid"],
    [],
])
def test_bad_arguments_exit_2(owner, args, capsys):
    assert token.main(args) == 2


def test_a_scope_naming_no_application_exits_1(owner, capsys):
    args = ["create", "--name", "x", "--role", "reader", "--application", "01ARZ3NDEKTSV4RRFFQ69G5FA1"]
    assert token.main(args) == 1 and "does not exist" in capsys.readouterr().err
    assert token.main(["revoke", "01ARZ3NDEKTSV4RRFFQ69G5FA1"]) == 1


def test_an_unreachable_database_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MIGRATION_DATABASE_URL", f"postgresql://postgres@/postgres?host={tmp_path}")
    assert token.main(["list"]) == 1
    assert capsys.readouterr().err.startswith("migrate: cannot reach the database")
