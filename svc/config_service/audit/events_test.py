from config_service.audit.events import RequestContext, build_event, changed_fields

APP = {"id": "01HZZZZZZZZZZZZZZZZZZZZZZZ", "name": "a", "comments": None}


def test_created_lists_every_field():
    assert changed_fields(None, APP) == ["id", "name", "comments"]


def test_no_op_update_changes_nothing():
    assert changed_fields(APP, dict(APP)) == []


def test_values_compare_by_json_type_and_value():
    before = {"id": "x", "config": {"a": 1}, "comments": None}
    assert changed_fields(before, {**before, "config": {"a": True}}) == ["config"]
    assert changed_fields(before, {**before, "config": {"a": 1.5}}) == ["config"]
    assert changed_fields(before, {**before, "comments": ""}) == ["comments"]
    assert changed_fields({"c": {"a": 1, "b": 2}}, {"c": {"b": 2, "a": 1}}) == []


def test_build_event_for_a_configuration_update():
    before = {"id": "C", "application_id": "A", "name": "n", "comments": None, "config": {}}
    after = {**before, "name": "m"}
    event = build_event("configuration", 3, before, after, RequestContext("req-1", "alice"))
    assert event["action"] == "updated"
    assert (event["entity_id"], event["application_id"], event["version"]) == ("C", "A", 3)
    assert event["changed_fields"] == ["name"]
    assert (event["actor"], event["request_id"]) == ("alice", "req-1")
    assert len(event["id"]) == 26


def test_build_event_for_an_application_creation():
    event = build_event("application", 1, None, APP, RequestContext("r"))
    assert event["action"] == "created"
    assert event["application_id"] == APP["id"]
    assert event["before"] is None and event["actor"] is None
