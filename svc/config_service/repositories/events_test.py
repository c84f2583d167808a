from config_service.audit.events import RequestContext, build_event
from test.work import pool_for, unit_of_work

A = "01ARZ3NDEKTSV4RRFFQ69G5FA1"


def test_append_stores_every_column(database_url, db):
    after = {"id": A, "name": "a", "comments": None}
    event = build_event("application", 1, None, after, RequestContext("req-7", "bob"))
    with pool_for(database_url) as pool, unit_of_work(pool) as uow:
        uow.begin()
        uow.events.append(event)
        uow.commit()
    with db.cursor() as cur:
        cur.execute("SELECT * FROM config_events")
        row = cur.fetchone()
    assert row["seq"] == 1 and row["occurred_at"].tzinfo is not None
    for column in ("id", "entity_type", "entity_id", "application_id", "action", "version",
                   "before", "after", "changed_fields", "actor", "request_id"):
        assert row[column] == event[column], column
