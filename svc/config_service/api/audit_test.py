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
