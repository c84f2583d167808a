import json
from decimal import Decimal

import pytest

from config_service.audit.events import RequestContext
from config_service.errors import Conflict, Gone, NotFound, PreconditionFailed
from config_service.models import ConfigurationIn, ConfigurationUpdate
from config_service.services import configurations
from test.sql_writes import insert_application
from test.audit_invariants import appended_events
from test.work import pool_for, unit_of_work

CONTEXT = RequestContext("req")
APP_ID = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


@pytest.fixture
def pool(database_url, db):
    insert_application(db, APP_ID, "a")
    with pool_for(database_url) as pool:
        yield pool



def new(pool, **config) -> dict:
    data = ConfigurationIn(application_id=APP_ID, name="n", config=config)
    id, body, etag = configurations.create(unit_of_work(pool), data, CONTEXT)
    assert etag == '"v1"'
    created = json.loads(body)
    assert created["id"] == id
    return created


def test_create_stores_the_configuration_with_a_created_event(pool, db):
    created = new(pool, a=1)
    assert created == {"id": created["id"], "application_id": APP_ID, "name": "n", "comments": None, "config": {"a": 1}}
    [event] = appended_events(db, "configuration")
    assert (event["action"], event["application_id"], event["version"], event["after"]) == ("created", APP_ID, 1, created)
    assert event["changed_fields"] == ["id", "application_id", "name", "comments", "config"]


def test_changed_fields_compare_json_by_type_and_spelling(pool, db):
    created = new(pool, a=1)
    for config, changed in (({"a": 1}, []), ({"a": True}, ["config"]), ({"a": Decimal("1.0")}, ["config"]),
                            ({"a": Decimal("1.0")}, [])):
        update = ConfigurationUpdate.model_construct(name="n", comments=None, config=config)
        configurations.update(unit_of_work(pool), created["id"], update, CONTEXT)
        assert appended_events(db, "configuration")[-1]["changed_fields"] == changed, config
    update = ConfigurationUpdate.model_construct(name="m", comments="", config={"a": Decimal("1.0")})
    configurations.update(unit_of_work(pool), created["id"], update, CONTEXT)
    assert appended_events(db, "configuration")[-1]["changed_fields"] == ["name", "comments"]


def test_a_no_op_update_still_appends_an_event_and_if_match_guards_it(pool, db):
    created = new(pool, a=1)
    same = ConfigurationUpdate(name="n", comments=None, config={"a": 1})
    body, etag = configurations.update(unit_of_work(pool), created["id"], same, CONTEXT, ['"v1"'])
    assert json.loads(body) == created and etag == '"v2"'
    assert (appended_events(db, "configuration")[-1]["version"], appended_events(db, "configuration")[-1]["changed_fields"]) == (2, [])
    with pytest.raises(PreconditionFailed) as caught:
        configurations.update(unit_of_work(pool), created["id"], same, CONTEXT, ['"v1"', 'W/"v2"', '"v2-0"'])
    assert caught.value.etag == '"v2"' and len(appended_events(db, "configuration")) == 2


def test_revert_restores_name_comments_and_config(pool, db):
    created = new(pool, a=1)
    configurations.update(unit_of_work(pool), created["id"], ConfigurationUpdate(name="m", config={"b": 2}), CONTEXT)
    body, etag = configurations.revert(unit_of_work(pool), created["id"], 1, CONTEXT)
    assert json.loads(body) == created and etag == '"v3"'
    assert (appended_events(db, "configuration")[-1]["restored_from"], appended_events(db, "configuration")[-1]["changed_fields"]) == (1, ["name", "config"])
    with pytest.raises(NotFound, match="no version 7"):
        configurations.revert(unit_of_work(pool), created["id"], 7, CONTEXT)
    with pytest.raises(PreconditionFailed):
        configurations.revert(unit_of_work(pool), created["id"], 7, CONTEXT, ['"v1"'])
    with pytest.raises(NotFound, match="Configuration not found"):
        configurations.revert(unit_of_work(pool), APP_ID, 1, CONTEXT)


def test_update_missing_and_reads(pool):
    with pytest.raises(NotFound):
        configurations.update(unit_of_work(pool), APP_ID, ConfigurationUpdate(name="n", config={}), CONTEXT)
    created = new(pool)
    body, etag = configurations.get_json(unit_of_work(pool), created["id"])
    assert json.loads(body)["name"] == "n" and etag == '"v1"'
    with pytest.raises(NotFound):
        configurations.get_json(unit_of_work(pool), APP_ID)


def test_delete_and_restore(pool, db):
    created = new(pool, a=1)
    configurations.delete(unit_of_work(pool), created["id"], CONTEXT, ['"v1"'])
    with pytest.raises(Gone):
        configurations.update(unit_of_work(pool), created["id"], ConfigurationUpdate(name="n", config={}), CONTEXT)
    with pytest.raises(Gone):
        configurations.delete(unit_of_work(pool), created["id"], CONTEXT)
    body, etag = configurations.restore(unit_of_work(pool), created["id"], CONTEXT)
    assert json.loads(body) == created and etag == '"v3"'
    with pytest.raises(Conflict, match="deletion"):
        configurations.revert(unit_of_work(pool), created["id"], 2, CONTEXT)
    assert [e["action"] for e in appended_events(db, "configuration")] == ["created", "deleted", "restored"]
