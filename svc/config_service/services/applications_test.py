import json

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import AlreadyExists, Conflict, Gone, NotFound, PreconditionFailed
from config_service.models import ApplicationIn
from config_service.services import applications
from test.audit_invariants import appended_events
from test.work import pool_for, unit_of_work

CONTEXT = RequestContext("req", "alice")
MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


@pytest.fixture
def pool(database_url):
    with pool_for(database_url) as pool:
        yield pool



def test_create_stores_the_application_with_a_created_event(pool, db):
    created, etag = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    assert created == {"id": created["id"], "name": "a", "comments": None} and etag == '"v1-0"'
    [event] = appended_events(db)
    assert (event["action"], event["version"], event["before"], event["after"]) == ("created", 1, None, created)
    assert (event["changed_fields"], event["actor"], event["request_id"]) == (["id", "name", "comments"], "alice", "req")
    with pytest.raises(AlreadyExists):
        applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    assert len(appended_events(db)) == 1


def test_update_appends_the_next_version_with_before_and_after(pool, db):
    created, _ = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    body, etag = applications.update(unit_of_work(pool), created["id"], ApplicationIn(name="b", comments="c"), CONTEXT)
    updated = json.loads(body)
    assert updated == {"id": created["id"], "name": "b", "comments": "c"} and etag == '"v2-0"'
    event = appended_events(db)[-1]
    assert (event["action"], event["version"], event["before"], event["after"]) == ("updated", 2, created, updated)
    assert event["changed_fields"] == ["name", "comments"] and event["restored_from"] is None


def test_update_of_a_missing_application_writes_nothing(pool, db):
    with pytest.raises(NotFound):
        applications.update(unit_of_work(pool), MISSING, ApplicationIn(name="b"), CONTEXT)
    assert appended_events(db) == []


def test_a_stale_if_match_is_refused_with_the_current_tag_and_writes_nothing(pool, db):
    created, etag = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    applications.update(unit_of_work(pool), created["id"], ApplicationIn(name="b"), CONTEXT, [etag])
    with pytest.raises(PreconditionFailed) as caught:
        applications.update(unit_of_work(pool), created["id"], ApplicationIn(name="c"), CONTEXT, [etag])
    assert caught.value.etag == '"v2-0"' and len(appended_events(db)) == 2
    _, etag = applications.update(unit_of_work(pool), created["id"], ApplicationIn(name="c"), CONTEXT, ['"v1-0"', '"v2-5"'])
    assert etag == '"v3-0"'  # a tag issued for the current version matches, whatever its count


def test_revert_restores_the_fields_of_a_version(pool, db):
    created, _ = applications.create(unit_of_work(pool), ApplicationIn(name="a", comments="first"), CONTEXT)
    applications.update(unit_of_work(pool), created["id"], ApplicationIn(name="b"), CONTEXT)
    body, etag = applications.revert(unit_of_work(pool), created["id"], 1, CONTEXT, ["*"])
    assert json.loads(body) == created and etag == '"v3-0"'
    event = appended_events(db)[-1]
    assert (event["action"], event["version"], event["restored_from"]) == ("updated", 3, 1)
    assert event["changed_fields"] == ["name", "comments"]


def test_a_revert_to_no_version_says_why_in_an_updates_order(pool, db):
    created, _ = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    with pytest.raises(NotFound, match="Application not found"):
        applications.revert(unit_of_work(pool), MISSING, 1, CONTEXT)
    with pytest.raises(PreconditionFailed) as caught:
        applications.revert(unit_of_work(pool), created["id"], 9, CONTEXT, ['"v7-0"'])
    assert caught.value.etag == '"v1-0"'
    with pytest.raises(NotFound, match="no version 9"):
        applications.revert(unit_of_work(pool), created["id"], 9, CONTEXT, ['"v1-0"'])
    assert len(appended_events(db)) == 1


def test_reads(pool):
    created, _ = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    body, etag = applications.get_json(unit_of_work(pool), created["id"])
    assert json.loads(body)["name"] == "a" and etag == '"v1-0"'
    assert len(json.loads(applications.list_json(unit_of_work(pool)))) == 1
    with pytest.raises(NotFound):
        applications.get_json(unit_of_work(pool), MISSING)


def test_delete_and_restore(pool, db):
    created, _ = applications.create(unit_of_work(pool), ApplicationIn(name="a"), CONTEXT)
    applications.delete(unit_of_work(pool), created["id"], False, CONTEXT, ['"v1-0"'])
    with pytest.raises(Gone) as caught:
        applications.get_json(unit_of_work(pool), created["id"])
    assert caught.value.etag == '"v2-0"' and "version 2" in caught.value.message
    with pytest.raises(Gone):
        applications.delete(unit_of_work(pool), created["id"], True, CONTEXT)
    with pytest.raises(PreconditionFailed):
        applications.restore(unit_of_work(pool), created["id"], CONTEXT, ['"v1-0"'])
    body, etag = applications.restore(unit_of_work(pool), created["id"], CONTEXT, ['"v2-0"'])
    assert json.loads(body) == created and etag == '"v3-0"'
    with pytest.raises(Conflict, match="not deleted"):
        applications.restore(unit_of_work(pool), created["id"], CONTEXT)
    with pytest.raises(PreconditionFailed):
        applications.delete(unit_of_work(pool), created["id"], False, CONTEXT, ['"v1-0"'])
    with pytest.raises(NotFound):
        applications.delete(unit_of_work(pool), MISSING, False, CONTEXT)
    assert [e["action"] for e in appended_events(db)] == ["created", "deleted", "restored"]
