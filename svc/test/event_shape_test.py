"""The event's shape rules of the append trigger (migration 0015), each under its name, for
any writer: every rule refuses the event that breaks it, and a well-formed one is kept."""

import psycopg2
import pytest
from psycopg2.extras import Json

APP = "01ARZ3NDEKTSV4RRFFQ69G5FAV"
TOKEN = "01ARZ3NDEKTSV4RRFFQ69G5FAW"
WELL_FORMED = {
    "id": "01ARZ3NDEKTSV4RRFFQ69G5FAX", "entity_type": "application", "entity_id": APP, "application_id": APP,
    "action": "created", "version": 1, "before": None, "after": Json({"id": APP}), "restored_from": None,
    "token_id": None,
}

BROKEN = [
    ("config_events_action_check", {"action": "revoked", "version": 2, "before": Json({})}),
    ("config_events_application_of_entity", {"entity_type": "token", "entity_id": TOKEN}),
    ("config_events_application_self", {"application_id": TOKEN}),
    ("config_events_created_shape", {"action": "updated"}),  # an update at version 1
    ("config_events_created_shape", {"action": "deleted", "version": 2, "before": Json({})}),  # with an after
    ("config_events_entity_type_check", {"entity_type": "widget"}),
    ("config_events_id_check", {"id": "short"}),
    ("config_events_restored_from_check", {"action": "updated", "version": 2, "before": Json({}), "restored_from": 2}),
    ("config_events_token_id_check", {"token_id": "short"}),
    ("config_events_version_check", {"action": "updated", "version": 0, "before": Json({})}),
]


def append(db, **changes) -> None:
    row = {**WELL_FORMED, **changes}
    with db.cursor() as cur:
        cur.execute("""
            INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version, before, after,
                                       changed_fields, actor, request_id, restored_from, token_id)
            VALUES (%(id)s, %(entity_type)s, %(entity_id)s, %(application_id)s, %(action)s, %(version)s,
                    %(before)s, %(after)s, '{}', 'sql', 'r', %(restored_from)s, %(token_id)s)""", row)


@pytest.mark.parametrize(("rule", "changes"), BROKEN, ids=[f"{rule}-{n}" for n, (rule, _) in enumerate(BROKEN)])
def test_an_event_that_breaks_a_rule_is_refused_under_its_name(db, rule, changes):
    if changes.get("version", 1) > 1:
        append(db)  # the version before it, so that the chain takes it
    with pytest.raises(psycopg2.errors.CheckViolation) as refused:
        append(db, **{"id": "01ARZ3NDEKTSV4RRFFQ69G5FAY", **changes})
    assert refused.value.diag.constraint_name == rule and f'violates check constraint "{rule}"' in str(refused.value)


def test_well_formed_events_are_kept(db):
    append(db)
    append(db, id="01ARZ3NDEKTSV4RRFFQ69G5FAY", action="updated", version=2, before=Json({}), restored_from=1)
    append(db, id="01ARZ3NDEKTSV4RRFFQ69G5FAZ", action="deleted", version=3, before=Json({}), after=None)
    append(db, id="01ARZ3NDEKTSV4RRFFQ69G5FB0", entity_type="token", entity_id=TOKEN, application_id=None)
    with db.cursor() as cur:
        cur.execute("SELECT count(*) AS n FROM config_events")
        assert cur.fetchone()["n"] == 4
