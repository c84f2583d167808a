import threading
import time

import psycopg2
import pytest

from config_service.errors import NotFound
from config_service.models import TokenIn
from config_service.repositories.audit_log import AuditLogRepository
from config_service.services import audit_check, tokens
from test.tokens import SETUP, remember
from test.work import pool_for, unit_of_work


def make_events(pool, n: int) -> None:
    for i in range(n):
        remember(tokens.create(unit_of_work(pool), TokenIn(name=f"t{i}", role="reader"), SETUP)["token"])


def step(pool, after, up_to, limit=2, checkpoint=None) -> dict:
    return audit_check.verify_step(unit_of_work(pool), after, up_to, limit, checkpoint)


def test_an_intact_log_is_checked_in_steps_to_its_horizon(database_url):
    with pool_for(database_url) as pool:
        make_events(pool, 5)
        first = step(pool, None, None)
        assert first == {"from_seq": None, "to_seq": 2, "up_to": 5, "last_seq": 5, "events": 2, "problems": [],
                         "truncated": False, "complete": False}
        make_events(pool, 1)  # after the horizon: the next check's
        second = step(pool, 2, 5)
        assert (second["to_seq"], second["events"], second["complete"], second["last_seq"]) == (4, 2, False, 6)
        last = step(pool, 4, 5)
        assert (last["to_seq"], last["events"], last["complete"], last["problems"]) == (5, 1, True, [])
        past_the_end = step(pool, 9, 5)
        assert (past_the_end["to_seq"], past_the_end["events"], past_the_end["complete"]) == (9, 0, True)


def test_an_empty_log_is_complete_at_once(database_url):
    with pool_for(database_url) as pool:
        assert step(pool, None, None, 10) == {"from_seq": None, "to_seq": 0, "up_to": 0, "last_seq": 0, "events": 0,
                                              "problems": [], "truncated": False, "complete": True}


def test_the_horizon_waits_for_transactions_still_running(database_url, db):
    """seq order is not commit order: an event holding a lower seq may commit later. The
    first step waits for every transaction running as it begins, so every step sees it."""
    with pool_for(database_url) as pool:
        make_events(pool, 1)
        writer = psycopg2.connect(database_url)  # a transaction holding an xid, not committed
        writer.cursor().execute("INSERT INTO audit_checkpoints (seq, hash) VALUES (0, NULL)")
        answer = {}

        def first_step():
            try:
                answer.update(step(pool, None, None, 10))
            except BaseException as exc:  # reported by the assertion below
                answer["error"] = exc

        checking = threading.Thread(target=first_step)
        checking.start()
        deadline = time.monotonic() + 20
        with db.cursor() as cur:
            while not answer and time.monotonic() < deadline:  # until the step is inside its wait
                cur.execute("SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active'"
                            " AND query LIKE '%config_events_settled_seq%' AND pid <> pg_backend_pid()")
                if cur.fetchone()["n"]:
                    break
        assert answer == {}  # still waiting for the writer
        writer.commit()
        checking.join(30)
        writer.close()
    assert answer["complete"] and answer["up_to"] == 1, answer


def test_an_altered_event_is_named_in_its_step_and_a_checkpoint_on_the_last(database_url, db):
    with pool_for(database_url) as pool:
        make_events(pool, 4)
        with db.cursor() as cur:
            checkpoint = AuditLogRepository(cur).checkpoint()
            cur.execute("SET session_replication_role = replica; UPDATE config_events SET actor = 'mallory'"
                        " WHERE seq = 3; UPDATE config_events SET after = jsonb_set(after, '{name}', '\"x\"')"
                        " WHERE seq = 4; UPDATE config_events e SET hash = config_events_entity_hash(e)"
                        " WHERE seq = 4; SET session_replication_role = origin")
        clean = step(pool, None, None, checkpoint=checkpoint)
        assert clean["problems"] == [] and not clean["complete"]  # the checkpoint waits for the last step
        broken = step(pool, clean["to_seq"], clean["up_to"], checkpoint=checkpoint)
        assert broken["complete"]
        assert [(p["seq"], p["problem"].split(":")[0]) for p in broken["problems"]] == [
            (3, "hash does not match the event's content"),
            (4, "the log up to the checkpoint differs from it"),
            (None, "the row differs from its latest event (its after, or its deletion)"),
        ]


def test_a_forged_event_below_every_seq_is_checked_by_the_first_step(database_url, db):
    with pool_for(database_url) as pool:
        make_events(pool, 2)
        db.cursor().execute(
            "SET session_replication_role = replica; INSERT INTO config_events (seq, id, occurred_at, entity_type,"
            " entity_id, action, version, before, after, changed_fields, request_id, hash) OVERRIDING SYSTEM VALUE"
            " SELECT -9223372036854775808, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '2001-01-01Z', 'token', entity_id,"
            " 'revoked', 2, after, after, '{}', 'forged', 'x' FROM config_events WHERE seq = 1;"
            " SET session_replication_role = origin")
        first = step(pool, None, None, 10)
    assert first["complete"] and first["problems"][0]["seq"] == -(2**63)


def test_a_step_reports_at_most_max_problems_and_says_so(database_url, db, monkeypatch):
    monkeypatch.setattr(audit_check, "MAX_PROBLEMS", 2)
    with pool_for(database_url) as pool:
        make_events(pool, 4)
        db.cursor().execute("SET session_replication_role = replica; UPDATE config_events SET actor = 'x';"
                            " SET session_replication_role = origin")
        broken = step(pool, None, None, 10)
        assert [p["seq"] for p in broken["problems"]] == [1, 2] and broken["truncated"]
        monkeypatch.setattr(audit_check, "MAX_PROBLEMS", 100)
        assert not step(pool, None, None, 10)["truncated"]


def test_the_latest_checkpoint_in_the_form_audit_checkpoint_printed(database_url, db):
    with pool_for(database_url) as pool:
        with pytest.raises(NotFound):
            audit_check.latest_checkpoint(unit_of_work(pool))
        make_events(pool, 1)
        with db.cursor() as cur:
            taken = AuditLogRepository(cur).checkpoint()
        latest = audit_check.latest_checkpoint(unit_of_work(pool))
        assert latest["checkpoint"] == taken and latest["seq"] == 1 and latest["taken_at"].endswith("Z")
        with db.cursor() as cur:  # the forms before migration 0010: an event's own hash, or none
            cur.execute("SET session_replication_role = replica; UPDATE config_events SET txid = 0;"
                        " SET session_replication_role = origin;"
                        " INSERT INTO audit_checkpoints (seq, hash) SELECT seq, hash FROM config_events")
            cur.execute("SELECT hash FROM config_events")
            event_hash = cur.fetchone()["hash"]
        assert audit_check.latest_checkpoint(unit_of_work(pool))["checkpoint"] == f"1-{event_hash}"
        db.cursor().execute("INSERT INTO audit_checkpoints (seq, hash) VALUES (0, NULL)")
        assert audit_check.latest_checkpoint(unit_of_work(pool))["checkpoint"] == "0-none"
