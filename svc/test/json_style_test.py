"""Every JSON body in one style, whoever built it (PostgreSQL or Python): written again from
its own parse, it comes out the same, byte for byte."""

from config_service import exact_json


def test_bodies_from_postgresql_and_from_python_are_spaced_alike(client, as_role):
    app = client.post("/api/v1/applications", json={"name": "style", "comments": "ünï \u0001"})
    conf = client.post("/api/v1/configurations", json={"application_id": app.json()["id"], "name": "c",
                                                       "config": {"n": 1.50, "list": [1, {"a": None}], "é": "東京"}})
    conf_id = conf.json()["id"]
    client.put(f"/api/v1/configurations/{conf_id}", json={"name": "c", "config": {"n": 2}})
    admin = as_role("admin")
    responses = [
        app, conf,
        client.get(f"/api/v1/applications/{app.json()['id']}"),
        client.get("/api/v1/applications"),
        client.get(f"/api/v1/configurations/{conf_id}"),
        client.get(f"/api/v1/configurations/{conf_id}/history"),
        client.get(f"/api/v1/configurations/{conf_id}/diff?from=1"),
        client.get("/api/v1/events"),
        client.get("/api/v1/tokens", headers=admin),
        client.get("/api/v1/audit/verify", headers=admin),
        client.get("/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FAV"),  # 404
        client.post("/api/v1/applications", json={"name": 5}),  # 422
        client.get("/api/v1/applications", headers={"Authorization": "Basic x"}),  # 401
        client.get("/health"),
    ]
    for response in responses:
        text = response.text
        assert response.headers["content-type"].startswith("application/json"), response.request.url
        assert exact_json.dumps(exact_json.loads(text)) == text, (response.request.url, text[:300])
        assert '": ' in text and '" : ' not in text, text[:300]
