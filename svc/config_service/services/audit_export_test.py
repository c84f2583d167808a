import hashlib
import json
import threading

import psycopg2
import pytest

from config_service.errors import DatabaseUnavailable
from config_service.services import audit_export
from test.sql_writes import insert_application


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


def test_an_export_waits_for_events_still_committing_below_its_last(database_url, client, db):
    """An application whose event took seq 2 commits while the one with seq 3 is done: the
    export waits for it, so its closing checkpoint is the database's."""
    slow = psycopg2.connect(database_url)
    slow.cursor().execute("SELECT pg_current_xact_id()")
    insert_application(slow, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "slow")  # seq 2 (the client's token is 1)
    client.post("/api/v1/applications", json={"name": "fast"})  # seq 3, committed
    lines = []
    exporting = threading.Thread(target=lambda: lines.extend(audit_export.chunks(database_url, 3)))
    exporting.start()
    with db.cursor() as cur:
        while exporting.is_alive():  # until the export is seen waiting for the slow one
            cur.execute("SELECT wait_event FROM pg_stat_activity WHERE application_name = 'config-service-export'")
            if cur.fetchone() == {"wait_event": "PgSleep"}:
                break
    assert lines == []
    slow.commit()
    exporting.join(30)
    slow.close()
    closing = json.loads(lines[-1])["closing"]
    with db.cursor() as cur:
        cur.execute("SELECT * FROM config_events_verify(%s)", (closing["checkpoint"],))
        assert cur.fetchall() == [] and closing["events"] == 3
