import hashlib

import pytest

from config_service.errors import DatabaseUnavailable
from config_service.services import audit_export


def test_the_heads_digest_is_the_checkpoints():
    heads = {("configuration", "B"): "h2", ("application", "A"): "h1", ("application", "B"): "h3"}
    assert audit_export.heads_digest(heads) == hashlib.sha256(b"h1,h3,h2").hexdigest()
    assert audit_export.heads_digest({}) == hashlib.sha256(b"").hexdigest()


def test_an_unreachable_database_fails_before_the_first_line(tmp_path):
    chunks = audit_export.chunks(f"postgresql://postgres@/postgres?host={tmp_path}", 1)
    with pytest.raises(DatabaseUnavailable):
        next(chunks)


def test_lines_come_in_whole_chunks_with_a_header_and_a_closing_line(database_url, client):
    client.post("/api/v1/applications", json={"name": "a"})
    text = "".join(audit_export.chunks(database_url, 3))
    lines = text.split("\n")
    assert lines[-1] == "" and lines[0].startswith('{"export": ') and lines[-2].startswith('{"closing": ')
    assert len(lines) == 2 + 2 + 1  # header, the client's token and the application, closing
