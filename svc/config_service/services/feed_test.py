import hashlib

import psycopg2
import pytest

from config_service.services import feed
from config_service.services.feed import Position
from test.sql_writes import insert_application
from test.work import pool_for, unit_of_work


def test_cursors_round_trip_and_refuse_what_was_not_issued():
    for position in (Position(0, 0), Position(7, 42), Position(10**17, 1), Position(5, 0, 9, (5, 8)), Position(9, 0, 9, ())):
        assert feed.decode_cursor(feed.encode_cursor(position)) == position
    forged = feed.encode_cursor(Position(7, 42)).replace("7.42.", "7.43.")
    too_long = ".".join(["1"] * 1100)
    for bad in ("", "now", "42", "42.00000000", forged, "-1.abcdef01", f"{too_long}.{feed._check(too_long)}"):
        with pytest.raises(ValueError):
            feed.decode_cursor(bad)


def test_a_cursor_from_before_txids_is_a_position_among_the_first_events():
    old = "42." + hashlib.sha256(b"config-service-feed:42").hexdigest()[:8]
    assert feed.decode_cursor(old) == Position(0, 42)


def test_a_position_from_a_snapshot_skips_what_had_committed_then():
    now = Position(5, 0, 9, (5, 7))  # 5 and 7 running, 6 and 8 committed, 9 on: not begun
    assert [now.past(txid, 1) for txid in (4, 5, 6, 7, 8, 9, 10)] == [False, True, False, True, False, True, True]
    assert now.after(5, 3) == Position(5, 3, 9, (5, 7))
    assert now.after(7, 1) == Position(7, 1, 9, (7,))
    assert now.after(9, 2) == Position(9, 2)  # nothing committed before it lies past here
    assert not Position(7, 3).past(7, 3) and Position(7, 3).past(7, 4) and Position(7, 3).past(8, 1)


def test_filters_match_hints_on_every_given_field():
    hint = {"seq": 9, "application_id": "A", "entity_type": "configuration", "entity_id": "C", "actor": "ann"}
    assert feed.Filters().matches(hint)
    assert feed.Filters(application_id="A", actor="ann").matches(hint)
    assert not feed.Filters(entity_type="application").matches(hint)
    assert feed.Filters(entity_id="C").as_params() == {
        "application_id": None, "entity_type": None, "entity_id": "C", "actor": None, "scope": None, "tokens": True
    }


def test_pages_and_now(database_url, db):
    for n in range(3):
        insert_application(db, f"01ARZ3NDEKTSV4RRFFQ69G5FA{n}", f"a{n}")
    with pool_for(database_url) as pool:
        first = feed.page(unit_of_work(pool), feed.BEGINNING, 2, feed.Filters())
        assert [p.seq for p in first.positions] == [1, 2] and first.next == first.positions[-1]
        last = feed.page(unit_of_work(pool), first.next, 2, feed.Filters())
        assert [p.seq for p in last.positions] == [3] and last.next == last.positions[-1]
        empty = feed.page(unit_of_work(pool), last.next, 2, feed.Filters())
        assert (empty.items, empty.next) == ([], last.next)
        now = feed.now(unit_of_work(pool))
        assert now.xmax is None and now.txid > last.next.txid  # nothing running: a plain position
        assert feed.page(unit_of_work(pool), now, 2, feed.Filters()).items == []
    assert feed.page_json(empty) == '{"items": [], "next": "%s"}' % feed.encode_cursor(last.next)


def test_now_while_a_transaction_runs_carries_the_snapshot(database_url, db):
    running = psycopg2.connect(database_url)
    running.cursor().execute("SELECT pg_current_xact_id()")
    insert_application(db, "01ARZ3NDEKTSV4RRFFQ69G5FA1", "committed before now")
    with pool_for(database_url) as pool:
        now = feed.now(unit_of_work(pool))
        assert now.xmax is not None and now.running and now.txid == now.running[0]
        insert_application(running, "01ARZ3NDEKTSV4RRFFQ69G5FA2", "committed after now")
        running.commit()
        page = feed.page(unit_of_work(pool), now, 10, feed.Filters())
    assert [p.seq for p in page.positions] == [2]  # seq 1 committed before now, though it sorts after
    running.close()
