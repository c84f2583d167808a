import json

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import NotFound, PreconditionFailed
from config_service.models import ApplicationIn
from config_service.services import applications
from test.fakes import FakeUnitOfWork

CONTEXT = RequestContext("req", "alice")
MISSING = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def test_create_appends_a_created_event_and_commits():
    uow = FakeUnitOfWork()
    created, etag = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    assert created == {"id": created["id"], "name": "a", "comments": None}
    assert etag == '"v1-0"' and uow.committed
    [event] = uow.events.appended
    assert (event["action"], event["version"], event["after"]) == ("created", 1, created)


def test_update_appends_the_next_version_with_before_and_after():
    uow = FakeUnitOfWork()
    created, _ = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    updated, etag = applications.update(uow, created["id"], ApplicationIn(name="b", comments="c"), CONTEXT)
    assert updated == {"id": created["id"], "name": "b", "comments": "c"} and etag == '"v2-0"'
    event = uow.events.appended[-1]
    assert (event["version"], event["before"], event["after"]) == (2, created, updated)
    assert event["changed_fields"] == ["name", "comments"] and event["restored_from"] is None


def test_update_of_a_missing_application_commits_nothing():
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound):
        applications.update(uow, MISSING, ApplicationIn(name="b"), CONTEXT)
    assert not uow.committed and uow.events.appended == []


def test_a_stale_if_match_is_refused_with_the_current_tag():
    uow = FakeUnitOfWork()
    created, etag = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    applications.update(uow, created["id"], ApplicationIn(name="b"), CONTEXT, [etag])
    uow.committed = False
    with pytest.raises(PreconditionFailed) as caught:
        applications.update(uow, created["id"], ApplicationIn(name="c"), CONTEXT, [etag])
    assert caught.value.etag == '"v2-0"' and not uow.committed and len(uow.events.appended) == 2


def test_revert_restores_the_fields_of_a_version():
    uow = FakeUnitOfWork()
    created, _ = applications.create(uow, ApplicationIn(name="a", comments="first"), CONTEXT)
    applications.update(uow, created["id"], ApplicationIn(name="b"), CONTEXT)
    reverted, etag = applications.revert(uow, created["id"], 1, CONTEXT, ["*"])
    assert (reverted["name"], reverted["comments"], etag) == ("a", "first", '"v3-0"')
    event = uow.events.appended[-1]
    assert (event["action"], event["version"], event["restored_from"]) == ("updated", 3, 1)
    with pytest.raises(NotFound, match="no version 9"):
        applications.revert(uow, created["id"], 9, CONTEXT)


def test_reads():
    uow = FakeUnitOfWork()
    created, _ = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    body, etag = applications.get_json(uow, created["id"])
    assert json.loads(body)["name"] == "a" and etag == '"v1-0"'
    assert len(json.loads(applications.list_json(uow))) == 1
    with pytest.raises(NotFound):
        applications.get_json(uow, MISSING)
