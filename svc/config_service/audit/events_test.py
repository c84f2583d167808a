from config_service.audit.events import RequestContext, stamp


def test_stamp_carries_the_context_and_a_new_event_id():
    first = stamp(RequestContext("req-1", "alice"))
    assert (first["actor"], first["request_id"], first["restored_from"]) == ("alice", "req-1", None)
    assert len(first["event_id"]) == 26
    second = stamp(RequestContext("req-1"), restored_from=3)
    assert second["event_id"] != first["event_id"]
    assert (second["actor"], second["restored_from"]) == (None, 3)
