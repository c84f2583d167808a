import json

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import NotFound
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.services import configurations
from test.fakes import FakeUnitOfWork

CONTEXT = RequestContext("req")
APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def new(uow, **config) -> dict:
    data = ConfigurationIn(application_id=APP_ID, name="n", config=config)
    return configurations.create(uow, data, CONTEXT)


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
    configurations.update(uow, created["id"], same, CONTEXT)
    event = uow.events.appended[-1]
    assert (event["version"], event["changed_fields"]) == (2, [])


def test_update_missing_and_reads():
    uow = FakeUnitOfWork()
    with pytest.raises(NotFound):
        configurations.update(uow, APP_ID, ConfigurationUpdate(name="n", config={}), CONTEXT)
    created = new(uow)
    assert json.loads(configurations.get_json(uow, created["id"]))["name"] == "n"
    with pytest.raises(NotFound):
        configurations.get_json(uow, APP_ID)
