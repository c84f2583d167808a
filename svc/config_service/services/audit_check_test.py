import pytest

from config_service.errors import NotFound
from config_service.repositories.audit_log import AuditLogRepository
from config_service.services import audit_check, tokens
from config_service.models import TokenIn
from test.tokens import SETUP, remember
from test.work import pool_for, unit_of_work


def make_events(pool, n: int) -> None:
    for i in range(n):
        remember(tokens.create(unit_of_work(pool), TokenIn(name=f"t{i}", role="reader"), SETUP)["token"])


def test_an_intact_log_is_checked_in_steps_to_its_end(database_url):
    with pool_for(database_url) as pool:
        make_events(pool, 5)
        first = audit_check.verify_step(unit_of_work(pool), None, 2, None)
        assert first == {"from_seq": 0, "to_seq": 2, "last_seq": 5, "events": 2, "problems": [], "complete": False}
        second = audit_check.verify_step(unit_of_work(pool), 2, 2, None)
        assert (second["to_seq"], second["events"], second["complete"]) == (4, 2, False)
        last = audit_check.verify_step(unit_of_work(pool), 4, 2, None)
        assert (last["to_seq"], last["events"], last["complete"], last["problems"]) == (5, 1, True, [])
        past_the_end = audit_check.verify_step(unit_of_work(pool), 9, 2, None)
        assert (past_the_end["to_seq"], past_the_end["events"], past_the_end["complete"]) == (9, 0, True)


def test_an_empty_log_is_complete_at_once(database_url):
    with pool_for(database_url) as pool:
        step = audit_check.verify_step(unit_of_work(pool), None, 10, None)
    assert step == {"from_seq": 0, "to_seq": 0, "last_seq": 0, "events": 0, "problems": [], "complete": True}


def test_an_altered_event_is_named_in_its_step_and_a_checkpoint_on_the_last(database_url, db):
    with pool_for(database_url) as pool:
        make_events(pool, 4)
        with db.cursor() as cur:
            checkpoint = AuditLogRepository(cur).checkpoint()
            cur.execute("SET session_replication_role = replica; UPDATE config_events SET actor = 'mallory'"
                        " WHERE seq = 3; UPDATE config_events SET after = jsonb_set(after, '{name}', '\"x\"')"
                        " WHERE seq = 4; UPDATE config_events e SET hash = config_events_entity_hash(e)"
                        " WHERE seq = 4; SET session_replication_role = origin")
        clean = audit_check.verify_step(unit_of_work(pool), None, 2, checkpoint)
        assert clean["problems"] == [] and not clean["complete"]  # the checkpoint waits for the last step
        broken = audit_check.verify_step(unit_of_work(pool), 2, 2, checkpoint)
        assert broken["complete"]
        assert [(p["seq"], p["problem"].split(":")[0]) for p in broken["problems"]] == [
            (3, "hash does not match the event's content"),
            (4, "the log up to the checkpoint differs from it"),
            (None, "the row differs from its latest event (its after, or its deletion)"),
        ]


def test_a_step_reports_at_most_max_problems(database_url, db, monkeypatch):
    monkeypatch.setattr(audit_check, "MAX_PROBLEMS", 2)
    with pool_for(database_url) as pool:
        make_events(pool, 4)
        db.cursor().execute("SET session_replication_role = replica; UPDATE config_events SET actor = 'x';"
                            " SET session_replication_role = origin")
        step = audit_check.verify_step(unit_of_work(pool), None, 10, None)
    assert [p["seq"] for p in step["problems"]] == [1, 2]


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
