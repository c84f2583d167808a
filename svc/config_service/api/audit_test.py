from fastapi.testclient import TestClient

from config_service.main import create_app
from test.tokens import bearer, issue


def test_the_export_streams_ndjson_to_auditors_only(client, database_url):
    auditor = bearer(issue(database_url, "auditor")["token"])
    response = client.get("/api/v1/audit/export", headers=auditor)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/x-ndjson")
    assert response.text.endswith("\n") and '"closing"' in response.text.split("\n")[-2]
    assert client.get("/api/v1/audit/export").status_code == 403  # the client's token is a writer's
    assert client.get("/api/v1/audit/export?application_id=nope", headers=auditor).status_code == 422


def test_an_unreachable_database_is_503_not_a_cut_stream(settings, database_url, tmp_path):
    token = issue(database_url, "admin")["token"]
    with TestClient(create_app(settings), headers=bearer(token)) as http:
        assert http.get("/api/v1/audit/export").status_code == 200  # caches the token
        http.app.state.settings = settings.model_copy(
            update={"database_url": f"postgresql://postgres@/postgres?host={tmp_path}"})
        response = http.get("/api/v1/audit/export")
    assert response.status_code == 503 and response.json()["detail"]


def test_the_log_is_checked_in_steps_by_auditors_and_admins(client, database_url):
    auditor = bearer(issue(database_url, "auditor")["token"])
    first = client.get("/api/v1/audit/verify?limit=1", headers=auditor)
    assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
    assert first.json()["events"] == 1 and not first.json()["complete"]  # two token events so far
    assert first.json()["up_to"] == 2 and first.json()["from_seq"] is None
    rest = client.get(f"/api/v1/audit/verify?after={first.json()['to_seq']}&up_to=2", headers=auditor).json()
    assert rest["complete"] and rest["problems"] == [] and rest["to_seq"] == rest["up_to"] == 2
    reader = bearer(issue(database_url, "reader")["token"])
    for headers in (reader, {}):  # the client's own token is a writer's
        response = client.get("/api/v1/audit/verify", headers=headers)
        assert response.status_code == 403, response.text
    for bad in ("limit=0", "limit=100001", "after=x", f"up_to={2**63}", "checkpoint=12.zz",
                "checkpoint=" + "1" * 19 + "-none"):
        response = client.get(f"/api/v1/audit/verify?{bad}", headers=auditor)
        assert response.status_code == 422 and response.json()["detail"], bad


def test_the_latest_checkpoint_is_shown_to_auditors(client, database_url, db):
    auditor = bearer(issue(database_url, "auditor")["token"])
    none_yet = client.get("/api/v1/audit/checkpoints/latest", headers=auditor)
    assert none_yet.status_code == 404 and "audit checkpoint" in none_yet.json()["detail"]
    with db.cursor() as cur:
        cur.execute("SELECT config_events_checkpoint() AS checkpoint")
        taken = cur.fetchone()["checkpoint"]
    latest = client.get("/api/v1/audit/checkpoints/latest", headers=auditor)
    assert latest.status_code == 200 and latest.json()["checkpoint"] == taken
    checked = client.get(f"/api/v1/audit/verify?checkpoint={taken}", headers=auditor).json()
    assert checked["complete"] and checked["problems"] == []
    assert client.get("/api/v1/audit/checkpoints/latest").status_code == 403


def test_steps_take_every_bigint_seq(client, database_url):
    auditor = bearer(issue(database_url, "auditor")["token"])
    lowest = -(2**63)
    response = client.get(f"/api/v1/audit/verify?after={lowest}&up_to={lowest}", headers=auditor)
    assert response.status_code == 200 and response.json()["complete"], response.text
