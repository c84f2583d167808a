"""The auditor's queries of docs/auditing.md, run as written against data made through the API."""

import hashlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

AUDITING = Path(__file__).resolve().parents[1] / "docs" / "auditing.md"


def documented_queries() -> dict[str, str]:
    blocks = re.findall(r"```sql\n-- audit: (.+?)\n(.*?)```", AUDITING.read_text(encoding="utf-8"), re.S)
    # psql's :'name' becomes psycopg2's %(name)s; the SQL is otherwise unchanged.
    return {title: re.sub(r":'(\w+)'", r"%(\1)s", sql) for title, sql in blocks}


QUERIES = documented_queries()


def run(db, title: str, **params) -> list[dict]:
    with db.cursor() as cur:
        cur.execute(QUERIES[title], params)
        return cur.fetchall()


@pytest.fixture
def history(client, db):
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    app = client.post("/api/v1/applications", json={"name": "app"}, headers={"X-Actor": "ann"}).json()
    body = {"application_id": app["id"], "name": "conf", "config": {"level": 1}}
    conf = client.post("/api/v1/configurations", json=body, headers={"X-Actor": "ann"}).json()
    with db.cursor() as cur:
        cur.execute("SELECT clock_timestamp() AS at")
        between = cur.fetchone()["at"]
    update = {"name": "conf", "config": {"level": 2}}
    client.put(f"/api/v1/configurations/{conf['id']}", json=update, headers={"X-Actor": "bob"})
    return {"app": app, "conf": conf, "start": start, "between": between}


def test_the_auditing_guide_has_the_seven_queries():
    assert sorted(QUERIES) == [
        "a checkpoint's digest",
        "everything changed in one application over a time window",
        "history of one configuration",
        "recompute every hash and link",
        "state of one configuration at a given time",
        "what was deleted, by whom, when",
        "who changed what, field by field, from what to what",
    ]


def test_history_of_one_configuration(db, history):
    rows = run(db, "history of one configuration", config_id=history["conf"]["id"])
    assert [(r["version"], r["action"], r["actor"]) for r in rows] == [(1, "created", "ann"), (2, "updated", "bob")]
    assert rows[1]["before"]["config"] == {"level": 1} and rows[1]["after"]["config"] == {"level": 2}


def test_state_at_a_given_time(db, history):
    [row] = run(db, "state of one configuration at a given time", config_id=history["conf"]["id"], at=history["between"])
    assert (row["version"], row["state"]["config"]) == (1, {"level": 1})


def test_changes_in_one_application_over_a_window(db, history):
    rows = run(
        db,
        "everything changed in one application over a time window",
        app_id=history["app"]["id"],
        **{"from": history["start"], "to": datetime.now(timezone.utc) + timedelta(seconds=1)},
    )
    assert [(r["entity_type"], r["action"]) for r in rows] == [
        ("application", "created"), ("configuration", "created"), ("configuration", "updated"),
    ]


def test_who_changed_what(db, history):
    rows = run(db, "who changed what, field by field, from what to what", **{"from": history["start"]})
    assert [(r["actor"], r["field"], r["old_value"], r["new_value"]) for r in rows] == [
        ("bob", "config", {"level": 1}, {"level": 2}),
    ]


def test_recomputing_every_hash_and_link_with_sql_alone(history, db):
    rows = run(db, "recompute every hash and link")
    assert len(rows) == 4 and all(r["hash_ok"] and r["link_ok"] for r in rows)  # the client's token, and 3
    db.cursor().execute(
        "SET session_replication_role = replica; UPDATE config_events SET actor = 'eve' WHERE seq = 2;"
        " SET session_replication_role = origin"
    )
    assert [r["seq"] for r in run(db, "recompute every hash and link") if not r["hash_ok"]] == [2]


def test_a_checkpoints_digest_recomputed_with_sql_alone(history, db):
    with db.cursor() as cur:
        cur.execute("SELECT config_events_checkpoint() AS c")
        seq, digest = cur.fetchone()["c"].split(".")
        cur.execute("SELECT entity_type, entity_id, version, hash FROM config_events WHERE seq <= %s", (int(seq),))
        newest = {}
        for row in sorted(cur.fetchall(), key=lambda r: r["version"]):
            newest[(row["entity_type"], row["entity_id"])] = row["hash"]  # each chain's head
        heads = ",".join(newest[key] for key in sorted(newest))
    assert run(db, "a checkpoint's digest", seq=int(seq)) == [{"digest": digest}]
    assert digest == hashlib.sha256(heads.encode()).hexdigest()
    assert run(db, "a checkpoint's digest", seq=2)[0]["digest"] != digest


def test_what_was_deleted_by_whom_and_when(client, db):
    app_id = client.post("/api/v1/applications", json={"name": "old"}).json()["id"]
    conf = client.post("/api/v1/configurations", json={"application_id": app_id, "name": "gone", "config": {}}).json()
    start = datetime.now(timezone.utc) - timedelta(seconds=1)
    client.delete(f"/api/v1/configurations/{conf['id']}", headers={"X-Actor": "carol"})
    client.post(f"/api/v1/configurations/{conf['id']}/restore")
    client.delete(f"/api/v1/applications/{app_id}?cascade=true", headers={"X-Actor": "dave"})
    rows = run(db, "what was deleted, by whom, when", **{"from": start})
    assert [(r["actor"], r["entity_type"], r["name"]) for r in rows] == [
        ("carol", "configuration", "gone"), ("dave", "configuration", "gone"), ("dave", "application", "old")
    ]
    assert rows[0]["restored_at"] is not None and rows[1]["restored_at"] is None
