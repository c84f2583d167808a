import json

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import NotFound, PreconditionFailed
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.services import configurations
from test.fakes import FakeUnitOfWork

CONTEXT = RequestContext("req")
APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def new(uow, **config) -> dict:
    data = ConfigurationIn(application_id=APP_ID, name="n", config=config)
    created, etag = configurations.create(uow, data, CONTEXT)
    assert etag == '"v1"'
    return created


def test_create_appends_a_created_event():
    uow = FakeUnitOfWork()
    created = new(uow, a=1)
    assert created["application_id"] == APP_ID and created["config"] == {"a": 1}
    [event] = uow.events.appended
    assert (event["entity_type"], event["application_id"], event["version"]) == ("configuration", APP_ID, 1)
    assert uow.committed


def test_no_op_update_still_appends_an_event():
    uow = FakeUnitOfWork()
    created = new(uow, a=1)
    same = ConfigurationUpdate(name="n", comments=None, config={"a": 1})
    _, etag = configurations.update(uow, created["id"], same, CONTEXT, ['"v1"'])
    event = uow.events.appended[-1]
    assert (event["version"], event["changed_fields"], etag) == (2, [], '"v2"')
    with pytest.raises(PreconditionFailed):
        configurations.update(uow, created["id"], same, CONTEXT, ['"v1"'])


def test_revert_restores_name_comments_and_config():
    uow = FakeUnitOfWork()
    created = new(uow, a=1)
    configurations.update(uow, created["id"], ConfigurationUpdate(name="m", config={"b": 2}), CONTEXT)
    reverted, etag = configurations.revert(uow, created["id"], 1, CONTEXT)
    assert reverted == created and etag == '"v3"'
    assert uow.events.appended[-1]["restored_from"] == 1
    with pytest.raises(NotFound, match="no version 7"):
        configurations.revert(uow, created["id"], 7, CONTEXT)


def test_update_missing_and_reads():
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound):
        configurations.update(uow, APP_ID, ConfigurationUpdate(name="n", config={}), CONTEXT)
    created = new(uow)
    body, etag = configurations.get_json(uow, created["id"])
    assert json.loads(body)["name"] == "n" and etag == '"v1"'
    with pytest.raises(NotFound):
        configurations.get_json(uow, APP_ID)
