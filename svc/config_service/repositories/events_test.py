import re

from config_service.audit.events import RequestContext, stamp
from config_service.repositories.events import APPEND, STAMP_TYPES


def test_the_stamp_fills_the_typed_event_parameters():
    assert set(STAMP_TYPES) | {"restored_from"} == set(stamp(RequestContext("r")))


def test_a_write_fills_every_column_but_the_databases_own(db):
    with db.cursor() as cur:
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'config_events'")
        columns = {row["column_name"] for row in cur.fetchall()}
    filled = set(re.search(r"\((.*)\)", APPEND, re.S).group(1).replace(" ", "").replace("\n", "").split(","))
    assert columns - filled == {"seq", "occurred_at", "prev_hash", "hash", "txid"} and filled <= columns


def test_deleted_at_reads_the_deleting_event_of_a_deleted_row_only():
    from config_service.repositories.events import deleted_at

    sql = deleted_at("configuration", "old")
    assert sql.startswith("CASE WHEN old.deleted THEN") and sql.endswith("END AS deleted_at")
    assert "e.entity_type = 'configuration' AND e.entity_id = old.id AND e.version = old.version" in sql
