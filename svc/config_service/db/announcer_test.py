import json
import logging
import threading

import psycopg2
import pytest

from config_service.db import announcer as announcer_module
from config_service.db.announcer import Announcer
from test.notifications import received


class Recording(Announcer):
    """Keeps the size of every batch it sends."""

    def __init__(self, *args, **kwargs) -> None:
        self.batches: list[int] = []
        self.sent = threading.Event()  # set once a batch was sent or given up
        super().__init__(*args, **kwargs)

    def _send(self, hints: list[str]) -> None:
        self.batches.append(len(hints))
        super()._send(hints)
        self.sent.set()


def hint(n: int) -> str:
    return json.dumps({"txid": 1, "seq": n})


def test_hints_handed_over_together_are_sent_in_one_transaction(database_url, listening):
    announcer = Recording(database_url, 5, window_seconds=30)  # closing ends the gathering
    announcer.announce([hint(1), hint(2)])
    announcer.announce([hint(3)])
    announcer.close()
    assert announcer.batches == [3]
    assert received(listening, 3) == [hint(1), hint(2), hint(3)]
    assert not announcer._thread.is_alive()


def test_a_batch_holds_at_most_batch_max(database_url, listening, monkeypatch):
    monkeypatch.setattr(announcer_module, "BATCH_MAX", 2)
    announcer = Recording(database_url, 5, window_seconds=30)
    announcer.announce([hint(1)])
    announcer.announce([hint(2)])
    announcer.announce([hint(3)])
    announcer.close()
    assert announcer.batches == [2, 1]
    assert received(listening, 3) == [hint(1), hint(2), hint(3)]


def test_a_connection_found_broken_is_replaced(database_url, listening, db):
    announcer = Announcer(database_url, 5)
    try:
        announcer.announce([hint(1)])
        assert received(listening, 1) == [hint(1)]
        with db.cursor() as cur:
            cur.execute("SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity"
                        " WHERE application_name = 'config-service-announce'")
            assert cur.fetchone()["n"] == 1
        announcer.announce([hint(2)])
        assert received(listening, 1) == [hint(2)]
    finally:
        announcer.close()


def test_hints_that_cannot_be_sent_are_logged_and_dropped(caplog):
    announcer = Announcer("postgresql://nobody@127.0.0.1:1/none", 1)
    with caplog.at_level(logging.WARNING, logger=announcer_module.__name__):
        announcer.announce([hint(1), hint(2)])
        announcer.close()
    assert "change feed: 2 committed events not announced" in caplog.text
    assert not announcer._thread.is_alive()


def test_a_failure_of_any_kind_is_logged_and_the_next_batch_goes_out(database_url, listening, monkeypatch, caplog):
    announcer = Recording(database_url, 5)
    connect = announcer._connect
    failures = iter([psycopg2.DatabaseError(""), RuntimeError("unexpected")])  # one without a message

    def failing_first():
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return connect()

    monkeypatch.setattr(announcer, "_connect", failing_first)
    try:
        with caplog.at_level(logging.WARNING, logger=announcer_module.__name__):
            announcer.announce([hint(1)])
            assert announcer.sent.wait(5)
        assert "change feed: 1 committed events not announced (unexpected)" in caplog.text
        announcer.announce([hint(2)])
        assert received(listening, 1) == [hint(2)]
    finally:
        announcer.close()
