from fastapi.testclient import TestClient

from config_service.api.web_ui import CONTENT_SECURITY_POLICY
from config_service.main import create_app


def test_the_page_needs_no_token_and_carries_its_policy(settings):
    with TestClient(create_app(settings)) as http:  # no Authorization header at all
        redirect = http.get("/ui", follow_redirects=False)
        assert redirect.status_code == 308 and redirect.headers["location"] == "/ui/"
        page = http.get("/ui/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY
        assert page.headers["x-content-type-options"] == "nosniff" and page.headers["cache-control"] == "no-cache"
        again = http.get("/ui/", headers={"If-None-Match": page.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert http.get("/ui/no-such-file.js").status_code == 404
        assert http.get("/api/v1/applications").status_code == 401  # the API still needs one


def test_the_page_is_not_in_the_api_description(settings):
    with TestClient(create_app(settings)) as http:
        paths = http.get("/openapi.json").json()["paths"]
    assert not any(path.startswith("/ui") for path in paths)
