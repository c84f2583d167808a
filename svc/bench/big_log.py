"""Fills a benchmark database with a large audit log through plain SQL (every trigger on):
many applications with their created events, and one configuration with many versions."""

# Applications and their version-1 events in one transaction (the audit triggers demand both).
APPLICATIONS = """
INSERT INTO applications (id, name)
SELECT 'B' || lpad(to_hex(i), 25, '0'), 'bulk-' || i FROM generate_series(%(first)s, %(last)s) AS i;
INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version, after, changed_fields,
                           request_id)
SELECT 'E' || lpad(to_hex(i), 25, '0'), 'application', 'B' || lpad(to_hex(i), 25, '0'),
       'B' || lpad(to_hex(i), 25, '0'), 'created', 1,
       jsonb_build_object('id', 'B' || lpad(to_hex(i), 25, '0'), 'name', 'bulk-' || i, 'comments', NULL),
       '{id,name,comments}', 'bench-bulk'
  FROM generate_series(%(first)s, %(last)s) AS i;
"""
CHUNK = 20_000

# One configuration updated `versions - 1` times, each update with its event.
VERSIONS = """
DO $$
DECLARE
    before jsonb;
    after jsonb;
BEGIN
    FOR v IN 2..%(versions)s LOOP
        SELECT jsonb_build_object('id', id, 'application_id', application_id, 'name', name,
                                  'comments', comments, 'config', config)
          INTO before FROM configurations WHERE id = %(id)s;
        UPDATE configurations SET config = jsonb_build_object('v', v), version = version + 1 WHERE id = %(id)s;
        after := jsonb_set(before, '{config}', jsonb_build_object('v', v));
        INSERT INTO config_events (id, entity_type, entity_id, application_id, action, version, before, after,
                                   changed_fields, request_id)
        VALUES ('V' || lpad(to_hex(v), 25, '0'), 'configuration', %(id)s, before ->> 'application_id', 'updated',
                v, before, after, '{config}', 'bench-versions');
    END LOOP;
END;
$$;
"""


def fill(conn, applications: int, config_id: str, versions: int) -> None:
    """`applications` created events, then `versions` of the (existing) configuration.

    In chunks, with ANALYZE after the first: the triggers' plans are made while the table
    is small (a sequential scan is cheapest then) and would make one huge statement O(n^2).
    """
    with conn.cursor() as cur:
        for first in range(1, applications + 1, CHUNK):
            cur.execute(APPLICATIONS, {"first": first, "last": min(first + CHUNK - 1, applications)})
            conn.commit()
            if first == 1:
                cur.execute("ANALYZE")
        cur.execute(VERSIONS, {"id": config_id, "versions": versions})
        cur.execute("ANALYZE")
    conn.commit()


def positions_mid_log(conn, events: int, count: int = 100) -> list[tuple[int, int]]:
    """(txid, seq) of `count` events from the second quarter of the log: cursors to page after."""
    with conn.cursor() as cur:
        cur.execute("SELECT txid, seq FROM config_events WHERE seq BETWEEN %(low)s AND %(high)s"
                    " ORDER BY random() LIMIT %(count)s", {"low": events // 4, "high": events // 2, "count": count})
        return [tuple(row) for row in cur.fetchall()]
