import json

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import NotFound
from config_service.models import ApplicationIn
from config_service.services import applications
from test.fakes import FakeUnitOfWork

CONTEXT = RequestContext("req", "alice")


def test_create_appends_a_created_event_and_commits():
    uow = FakeUnitOfWork()
    created = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    assert created == {"id": created["id"], "name": "a", "comments": None}
    assert uow.committed
    [event] = uow.events.appended
    assert (event["action"], event["version"], event["after"]) == ("created", 1, created)


def test_update_appends_the_next_version_with_before_and_after():
    uow = FakeUnitOfWork()
    created = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    updated = applications.update(uow, created["id"], ApplicationIn(name="b", comments="c"), CONTEXT)
    assert updated == {"id": created["id"], "name": "b", "comments": "c"}
    event = uow.events.appended[-1]
    assert (event["version"], event["before"], event["after"]) == (2, created, updated)
    assert event["changed_fields"] == ["name", "comments"]


def test_update_of_a_missing_application_commits_nothing():
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound):
        applications.update(uow, "01ARZ3NDEKTSV4RRFFQ69G5FA1", ApplicationIn(name="b"), CONTEXT)
    assert not uow.committed and uow.events.appended == []


def test_reads():
    uow = FakeUnitOfWork()
    created = applications.create(uow, ApplicationIn(name="a"), CONTEXT)
    assert json.loads(applications.get_json(uow, created["id"]))["name"] == "a"
    assert len(json.loads(applications.list_json(uow))) == 1
    with pytest.raises(NotFound):
        applications.get_json(uow, "01ARZ3NDEKTSV4RRFFQ69G5FA1")
