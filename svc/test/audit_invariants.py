"""The audit invariants of API.md section 4, checked with plain SQL against a database."""

import json

# A deleted row's state is {"deleted": its last state}, as the database's own check has it.
CURRENT_ROWS = """
SELECT 'application' AS entity_type, id,
       entity_state(jsonb_build_object('id', id, 'name', name, 'comments', comments), deleted) AS row
  FROM applications
UNION ALL
SELECT 'configuration', id,
       entity_state(jsonb_build_object('id', id, 'application_id', application_id, 'name', name,
                                       'comments', comments, 'config', config), deleted)
  FROM configurations
UNION ALL
SELECT 'token', id,
       token_snapshot(id, name, role, application_ids, acts_for_others, created_at, created_by, expires_at, revoked_at)
  FROM tokens
"""

EVENTS = """
SELECT entity_type, entity_id, version, action, before, after, changed_fields
  FROM config_events
 ORDER BY entity_type, entity_id, version
"""


def assert_audit_invariants(conn) -> int:
    """Invariants 1 and 2 for every entity; returns how many events were checked."""
    with conn.cursor() as cur:
        cur.execute(CURRENT_ROWS)
        rows = {(r["entity_type"], r["id"]): r["row"] for r in cur.fetchall()}
        cur.execute(EVENTS)
        events = cur.fetchall()
    by_entity: dict[tuple[str, str], list[dict]] = {}
    for event in events:
        by_entity.setdefault((event["entity_type"], event["entity_id"]), []).append(event)
    assert set(by_entity) == set(rows), "every entity has events and every event an entity"
    for key, history in by_entity.items():
        assert [e["version"] for e in history] == list(range(1, len(history) + 1)), key
        assert history[0]["action"] == "created" and history[0]["before"] is None, key
        assert sorted(history[0]["changed_fields"]) == sorted(history[0]["after"]), key
        for previous, event in zip(history, history[1:]):
            if event["action"] == "deleted":  # API.md §12: before = the last state, after null
                assert previous["after"] is not None and event["before"] == previous["after"], key
                assert event["after"] is None and sorted(event["changed_fields"]) == sorted(event["before"]), key
                continue
            if event["action"] == "restored":  # as it was before its deletion
                assert previous["action"] == "deleted" and event["before"] is None, key
                assert event["after"] == previous["before"], key
                assert sorted(event["changed_fields"]) == sorted(event["after"]), key
                continue
            assert event["action"] == ("revoked" if key[0] == "token" else "updated"), key
            assert event["before"] == previous["after"], key
            changed = [f for f in event["after"] if _json(event["after"][f]) != _json(event["before"].get(f))]
            assert sorted(event["changed_fields"]) == sorted(changed), key
        latest = history[-1]
        state = latest["after"] if latest["action"] != "deleted" else {"deleted": latest["before"]}
        assert state == rows[key], key
    return len(events)



def _json(value) -> str:
    # Compares by JSON type and spelling (in Python, 1 == True); Decimals by their digits.
    return json.dumps(value, sort_keys=True, default=lambda number: "decimal:" + format(number, "f"))


def counts(conn) -> tuple[int, int, int]:
    """(applications, configurations, their events): to show a failed request wrote nothing."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT (SELECT count(*) FROM applications) AS a, (SELECT count(*) FROM configurations) AS c,"
            " (SELECT count(*) FROM config_events WHERE entity_type <> 'token') AS e"
        )
        row = cur.fetchone()
    return row["a"], row["c"], row["e"]


def appended_events(conn, entity_type: str | None = None) -> list[dict]:
    """Every event of applications and configurations (of one entity type, if given), oldest first."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT * FROM config_events WHERE coalesce(entity_type = %(type)s, entity_type <> 'token') ORDER BY seq",
            {"type": entity_type},
        )
        return cur.fetchall()
