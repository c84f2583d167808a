from fastapi import FastAPI
from fastapi.testclient import TestClient

from config_service.api import errors
from config_service.errors import (
    AlreadyExists,
    DatabaseBusy,
    DatabaseUnavailable,
    InvalidReference,
    NotFound,
    ServiceError,
)


def test_each_domain_error_has_its_status():
    assert errors.status_for(NotFound()) == 404
    assert errors.status_for(AlreadyExists()) == 409
    assert errors.status_for(InvalidReference()) == 422
    assert errors.status_for(DatabaseUnavailable()) == 503
    assert errors.status_for(DatabaseBusy()) == 503
    assert errors.status_for(ServiceError()) == 500


def test_handlers_answer_json_with_detail():
    app = FastAPI()
    errors.install(app)

    @app.get("/busy")
    async def busy():
        raise DatabaseBusy()

    @app.get("/typed/{n}")
    async def typed(n: int):
        return {"n": n}

    client = TestClient(app)
    response = client.get("/busy")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {"detail": "The database is busy; try again shortly."}
    invalid = client.get("/typed/x")
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["loc"] == ["path", "n"]
    assert "input" not in invalid.json()["detail"][0]


def test_a_405_allows_every_method_served_at_the_path(client):
    for method, path, allowed in (("DELETE", "/api/v1/applications", "GET, HEAD, POST"),
                                  ("OPTIONS", "/api/v1/applications", "GET, HEAD, POST"),
                                  ("POST", "/api/v1/configurations/01ARZ3NDEKTSV4RRFFQ69G5FA1", "DELETE, GET, HEAD, PUT")):
        response = client.request(method, path)
        assert response.status_code == 405 and response.headers["allow"] == allowed, (method, path)
        assert response.json() == {"detail": "Method Not Allowed"}
