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


def test_every_statement_of_the_services_writes_returns_the_hints_of_its_events():
    from config_service.repositories import applications, configurations

    texts = [getattr(value, "sql", value) for module in (applications, configurations) for value in vars(module).values()]
    appending = [text for text in texts if isinstance(text, str) and APPEND in text and text != APPEND]
    assert len(appending) == 8  # create, update, delete and restore of each kind
    for text in appending:
        assert text.count(APPEND) == text.count("config_events_hint(config_events)") and "AS hints" in text


def test_hints_gathers_the_hints_every_event_cte_returned():
    from config_service.repositories.events import RETURNING_HINT, hints

    assert RETURNING_HINT.endswith("AS hint")
    assert hints("a", "b") == "(SELECT array_agg(hint) FROM (SELECT hint FROM a UNION ALL SELECT hint FROM b) AS appended) AS hints"
