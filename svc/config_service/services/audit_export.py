"""The audit log as NDJSON, for auditors who check it away from the database.

Line 1: `{"export": {...}}` (the filters); then one event per line, every column, in seq
order; last, `{"closing": {"events": n, "heads": ..., "checkpoint": "<seq>.<digest>"}}`:
`checkpoint` is the §9 checkpoint of the whole log up to the last exported event, taken in
the same snapshot as the events; `heads` the same digest over the exported chains only
(what a partial export can be checked against; for a whole export, the same digest). One
REPEATABLE READ transaction on a connection of its own, read through a server-side
cursor: a whole export's memory stays bounded whatever the size of the log. `audit/verify_export.py` checks such a file without the database.
"""

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime, timezone

import psycopg2

from config_service.db import driver_errors
from config_service.errors import DatabaseUnavailable
from config_service.repositories.audit_log import EXPORT, HEADS_DIGEST, SETTLED_SEQ

BATCH = 2000  # events per chunk yielded (and per round trip of the cursor)


def heads_digest(heads: dict[tuple[str, str], str]) -> str:
    ordered = sorted(heads, key=lambda key: (key[0].encode(), key[1].encode()))
    return hashlib.sha256(",".join(heads[key] for key in ordered).encode()).hexdigest()


def chunks(dsn: str, connect_timeout: int, after: int = 0, application_id: str | None = None) -> Iterator[str]:
    """The export as text chunks of whole lines; DatabaseUnavailable before the first one
    when the database cannot be reached."""
    try:
        conn = psycopg2.connect(dsn, connect_timeout=connect_timeout, application_name="config-service-export")
    except psycopg2.Error as exc:
        raise DatabaseUnavailable() from exc
    try:
        # seq order is not commit order: only events up to a settled seq, below which none
        # can still appear, so that the closing checkpoint holds for the database too.
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(SETTLED_SEQ)
            up_to = cur.fetchone()[0]
        conn.autocommit = False
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        header = {"export": {"format": 1, "after": after, "application_id": application_id,
                             "exported_at": datetime.now(timezone.utc).isoformat(timespec="microseconds")}}
        yield json.dumps(header) + "\n"
        # Only a partial export needs its chains' heads here (memory grows with the entities
        # exported); a whole export's are the checkpoint's, which the database computes.
        partial = bool(after or application_id)
        heads: dict[tuple[str, str], str] = {}
        count, last = 0, after
        with conn.cursor(name="export") as cur:
            cur.itersize = BATCH
            cur.execute(EXPORT, {"after": after, "up_to": up_to, "application_id": application_id})
            while rows := cur.fetchmany(BATCH):
                if partial:
                    for _, seq, entity_type, entity_id, hash in rows:
                        heads[(entity_type, entity_id)] = hash  # in seq order: each chain's newest wins
                count, last = count + len(rows), rows[-1][1]
                yield "".join(row[0] + "\n" for row in rows)
        with conn.cursor() as cur:
            cur.execute(HEADS_DIGEST, {"seq": last})
            digest = cur.fetchone()[0]
        closing = {"events": count, "heads": heads_digest(heads) if partial else digest,
                   "checkpoint": f"{last}.{digest}"}
        yield json.dumps({"closing": closing}) + "\n"
    except psycopg2.Error as exc:
        raise (driver_errors.translate(exc) or DatabaseUnavailable()) from exc
    finally:
        conn.close()
