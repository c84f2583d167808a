"""SIGTERM with writes in flight: every write is acknowledged or never applied; clean exit."""

import time

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.db import local_postgres
from test.audit_invariants import assert_audit_invariants
from test.database_restart_test import acknowledged_writes_are_stored, seed_configurations
from test.live_server import LiveServer
from test.load import WriteLoad


def unacknowledged_writes_were_not_applied(conn, load: WriteLoad) -> None:
    lost = [o for o in load.outcomes if o.status is None]
    with conn.cursor() as cur:
        for outcome in lost:
            if outcome.kind == "create":
                cur.execute("SELECT count(*) AS n FROM applications WHERE name = %s", (outcome.marker,))
            else:
                cur.execute(
                    "SELECT count(*) AS n FROM config_events WHERE after -> 'config' ->> 'marker' = %s",
                    (outcome.marker,),
                )
            assert cur.fetchone()["n"] == 0, outcome


def test_sigterm_finishes_in_flight_writes_and_stops_local_postgres(tmp_path):
    data_dir = tmp_path / "pg"
    live = LiveServer(None, local_postgres_dir=str(data_dir), log_level="INFO", db_threads=4)
    with live:
        load = WriteLoad(live.url, seed_configurations(live.url, 6, live.headers), live.headers).start()
        try:
            load.wait_for(lambda l: l.successes() >= 60, timeout=30)
            started = time.monotonic()
            code, output = live.terminate(timeout=15)
            stopped_after = time.monotonic() - started
        finally:
            load.stop()
    assert code == 0, output
    assert stopped_after < 10
    assert "database pool closed" in output
    assert "stopping the local PostgreSQL" in output
    assert not (data_dir / "postmaster.pid").exists(), "PostgreSQL was not stopped"
    assert "database system is shut down" in (data_dir / "log").read_text()
    assert {o.status for o in load.outcomes} <= {200, 201, None}

    server = local_postgres.start(data_dir, cleanup_mode="delete")
    try:
        conn = psycopg2.connect(server.get_uri(), cursor_factory=RealDictCursor)
        try:
            acknowledged_writes_are_stored(conn, load)
            unacknowledged_writes_were_not_applied(conn, load)
            assert_audit_invariants(conn)
        finally:
            conn.close()
    finally:
        server.cleanup()
