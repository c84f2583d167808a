"""Tampering as an attacker with the owner's or a superuser's login would do it (triggers
off through session_replication_role = replica): `audit verify` names the right event."""

import io
from contextlib import redirect_stdout

import pytest

import psycopg2
from psycopg2.extras import RealDictCursor

from config_service.cli import audit
from config_service.repositories.audit_log import AuditLogRepository
from config_service.services.audit_check import verify_step

REPLICA = "SET session_replication_role = replica; "


@pytest.fixture
def client(settings):
    """AUTH=off, so that the log holds only the events below (token events are tampered
    with in access_audit_test.py)."""
    from fastapi.testclient import TestClient

    from config_service.main import create_app

    with TestClient(create_app(settings.model_copy(update={"auth": "off"}))) as test_client:
        yield test_client


@pytest.fixture
def log(client, db, database_url):
    """Two applications with a configuration each and a few updates: 8 events."""
    ids = {}
    for name in ("a", "b"):
        app_id = client.post("/api/v1/applications", json={"name": name}).json()["id"]
        body = {"application_id": app_id, "name": "c", "config": {"n": 0}}
        config_id = client.post("/api/v1/configurations", json=body).json()["id"]
        ids[name] = (app_id, config_id)
    for n in (1, 2):
        for name in ("a", "b"):
            client.put(f"/api/v1/configurations/{ids[name][1]}", json={"name": "c", "config": {"n": n}})
    assert verify(database_url) == (0, "intact: 8 events up to seq 8")
    return ids


def verify(database_url, checkpoint=None) -> tuple[int, str]:
    """`audit verify` (or, with "take", `audit checkpoint`): exit code and its line. Every
    check of the whole log is also made in steps of three events (GET /audit/verify), and
    must find the same altered and unlinked events, and problems with the same entities
    (a version out of step may be named at another event of the same entity)."""
    out = io.StringIO()
    with redirect_stdout(out):
        if checkpoint == "take":
            code = audit.run("checkpoint", None, database_url)
        else:
            code = audit.run("verify", checkpoint, database_url)
    if checkpoint != "take":
        whole, stepwise = problems_at(database_url, checkpoint)
        assert (code == 0) == (not whole) == (not stepwise), (whole, stepwise)
        assert {p[:3] for p in stepwise if p[3]} == {p[:3] for p in whole if p[3]}, (whole, stepwise)
        assert {p[1:3] for p in stepwise} == {p[1:3] for p in whole}, (whole, stepwise)
    return code, out.getvalue().strip().removeprefix("audit verify: ")


class _OneCursor:
    """What verify_step needs of a unit of work: the audit log's repository."""

    def __init__(self, cursor) -> None:
        self.audit_log = AuditLogRepository(cursor)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass


def _key(problem: dict) -> tuple:
    chain = problem["problem"].startswith(("prev_hash", "hash"))
    return problem["seq"], problem["entity_type"], problem["entity_id"], chain


def problems_at(database_url, checkpoint) -> tuple[set, set]:
    """(seq, entity type, entity id, is about the chain) of every problem: from
    config_events_verify, and from verify_step from the first event on, three at a time."""
    conn = psycopg2.connect(database_url, cursor_factory=RealDictCursor)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT seq, entity_type, entity_id, problem FROM config_events_verify(%s)", (checkpoint,))
            whole = {_key(row) for row in cur.fetchall()}
            stepwise, after, up_to, steps = set(), None, None, 0
            while True:
                step = verify_step(_OneCursor(cur), after, up_to, 3, checkpoint)
                stepwise |= {_key(problem) for problem in step["problems"]}
                steps, after, up_to = steps + 1, step["to_seq"], step["up_to"]
                if step["complete"]:
                    break
            assert steps >= 2  # the log was checked in several steps
    finally:
        conn.close()
    return whole, stepwise


def tamper(db, sql: str, **params) -> None:
    db.cursor().execute(REPLICA + sql + "; SET session_replication_role = origin", params)


@pytest.mark.parametrize(
    "change",
    [
        "after = jsonb_set(after, '{config,n}', '99')",
        "actor = 'mallory'",
        "occurred_at = occurred_at - interval '1 day'",
        "changed_fields = '{}'",
    ],
)
def test_an_edited_event_is_named(log, db, database_url, change):
    tamper(db, f"UPDATE config_events SET {change} WHERE seq = 5")
    code, line = verify(database_url)
    assert code == 1 and line.startswith("BROKEN at seq 5 ") and "altered" in line, line


def test_a_deleted_event_in_the_middle_breaks_the_next_link(log, db, database_url):
    tamper(db, "DELETE FROM config_events WHERE seq = 4")  # configuration b, version 1
    code, line = verify(database_url)  # its version 2 is seq 6
    assert code == 1 and line.startswith("BROKEN at seq 6 ") and "deleted, inserted or reordered" in line


def test_deleting_the_newest_events_is_caught_by_a_checkpoint(log, db, database_url):
    code, checkpoint = verify(database_url, "take")
    assert code == 0 and checkpoint.startswith("8.") and " " not in checkpoint
    assert verify(database_url, checkpoint)[0] == 0
    tamper(db, "DELETE FROM config_events WHERE seq >= 7")
    code, line = verify(database_url, checkpoint)
    assert code == 1 and line.startswith("BROKEN at seq 8") and "checkpoint" in line, line


def test_an_application_deleted_with_everything_is_caught_by_a_checkpoint(log, db, database_url):
    code, checkpoint = verify(database_url, "take")
    app_id, config_id = log["b"]
    tamper(db, "DELETE FROM config_events WHERE application_id = %(app)s; DELETE FROM configurations WHERE id = %(c)s;"
               " DELETE FROM applications WHERE id = %(app)s", app=app_id, c=config_id)
    code, line = verify(database_url, checkpoint)
    assert code == 1 and "seq" in line, line


def test_a_rewritten_chain_is_caught_by_a_checkpoint(log, db, database_url):
    code, checkpoint = verify(database_url, "take")
    # A superuser recomputes every hash after editing an event: its chain (configuration
    # a: seq 2, 5, 7) is whole again...
    tamper(db, "UPDATE config_events SET actor = 'mallory' WHERE seq = 2;"
               " UPDATE config_events e SET hash = config_events_entity_hash(e) WHERE seq = 2")
    for previous, seq in ((2, 5), (5, 7)):
        tamper(db, "UPDATE config_events SET prev_hash = (SELECT hash FROM config_events WHERE seq = %(p)s)"
                   " WHERE seq = %(s)s; UPDATE config_events e SET hash = config_events_entity_hash(e)"
                   " WHERE seq = %(s)s", p=previous, s=seq)
    assert verify(database_url)[0] == 0
    # ...but not the same as the checkpoint kept outside the database.
    code, line = verify(database_url, checkpoint)
    assert code == 1 and line.startswith("BROKEN at seq 8") and "checkpoint" in line, line


def test_a_forged_event_is_named(log, db, database_url):
    app_id, _ = log["a"]
    tamper(db, "INSERT INTO config_events (seq, id, occurred_at, entity_type, entity_id, application_id, action,"
               " version, before, after, changed_fields, request_id, hash) OVERRIDING SYSTEM VALUE VALUES (-5,"
               " '01ARZ3NDEKTSV4RRFFQ69G5FAV', '2001-01-01Z', 'application', %(a)s, %(a)s, 'updated', 2, '{}',"
               " '{}', '{}', 'forged', 'x')", a=app_id)
    code, line = verify(database_url)
    assert code == 1 and line.startswith("BROKEN at seq -5 "), line


def test_two_events_swapped_are_named(log, db, database_url):
    tamper(db, "UPDATE config_events a SET after = b.after, before = b.before FROM config_events b"
               " WHERE (a.seq, b.seq) IN ((5, 6), (6, 5))")
    code, line = verify(database_url)
    assert code == 1 and line.startswith("BROKEN at seq 5 "), line


@pytest.mark.parametrize("table, change", [("applications", "name = 'renamed'"), ("configurations", "config = '{}'")])
def test_a_row_changed_without_an_event_is_named(log, db, database_url, table, change):
    app_id, config_id = log["a"]
    target = app_id if table == "applications" else config_id
    tamper(db, f"UPDATE {table} SET {change} WHERE id = %(id)s", id=target)
    code, line = verify(database_url)
    assert code == 1 and target in line and "changed without an event" in line, line


def test_the_sql_function_lists_every_problem_for_auditors_with_sql_only(log, db):
    tamper(db, "UPDATE config_events SET actor = 'mallory' WHERE seq = 3")
    with db.cursor() as cur:
        cur.execute("SELECT seq, problem FROM config_events_verify()")
        problems = cur.fetchall()
    assert [p["seq"] for p in problems] == [3] and "altered" in problems[0]["problem"]
