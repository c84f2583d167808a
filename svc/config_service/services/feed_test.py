import pytest

from config_service.services import feed
from test.sql_writes import insert_application
from test.work import pool_for, unit_of_work


def test_cursors_round_trip_and_refuse_what_was_not_issued():
    for seq in (0, 1, 42, 10**17):
        assert feed.decode_cursor(feed.encode_cursor(seq)) == seq
    for bad in ("", "now", "42", "42.00000000", feed.encode_cursor(42).replace("42.", "43."), "-1.abcdef01"):
        with pytest.raises(ValueError):
            feed.decode_cursor(bad)


def test_filters_match_hints_on_every_given_field():
    hint = {"seq": 9, "application_id": "A", "entity_type": "configuration", "entity_id": "C", "actor": "ann"}
    assert feed.Filters().matches(hint)
    assert feed.Filters(application_id="A", actor="ann").matches(hint)
    assert not feed.Filters(entity_type="application").matches(hint)
    assert feed.Filters(entity_id="C").as_params() == {
        "application_id": None, "entity_type": None, "entity_id": "C", "actor": None
    }


def test_pages_and_the_head(database_url, db):
    for n in range(3):
        insert_application(db, f"01ARZ3NDEKTSV4RRFFQ69G5FA{n}", f"a{n}")
    with pool_for(database_url) as pool:
        first = feed.page(unit_of_work(pool), 0, 2, feed.Filters())
        assert first.positions == [1, 2] and first.next == 2
        last = feed.page(unit_of_work(pool), first.next, 2, feed.Filters())
        assert last.positions == [3] and last.next == 3
        empty = feed.page(unit_of_work(pool), 3, 2, feed.Filters())
        assert (empty.items, empty.next) == ([], 3)
        assert feed.head(unit_of_work(pool)) == 3
    assert feed.page_json(empty) == '{"items":[],"next":"%s"}' % feed.encode_cursor(3)
