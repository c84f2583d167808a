import json

from bench.workload import Workload

APPS = ["A1", "A2"]
CONFIGS = [{"id": "C1", "application_id": "A1", "name": "conf-0"}]


def test_requests_per_endpoint():
    assert Workload("GET application", APPS, CONFIGS).request(1) == ("GET", "/api/v1/applications/A2", b"")
    assert Workload("GET configuration", APPS, CONFIGS).request(5)[1] == "/api/v1/configurations/C1"
    assert Workload("GET list (10 applications)", APPS, CONFIGS).request(0)[1] == "/api/v1/applications"
    method, path, body = Workload("POST application", APPS, CONFIGS, run_tag="t").request(7)
    assert (method, path, json.loads(body)) == ("POST", "/api/v1/applications", {"name": "bench-t-7"})
    method, path, body = Workload("PUT configuration", APPS, CONFIGS).request(3)
    assert (method, path) == ("PUT", "/api/v1/configurations/C1")
    assert json.loads(body)["name"] == "conf-0"


def test_lua_script_carries_the_ids_and_unique_names():
    script = Workload("POST application", APPS, CONFIGS, run_tag="w1").lua()
    assert '{"A1","A2"}' in script and '{"C1","conf-0"}' in script
    assert "bench-w1-' .. tid" in script
    assert 'thread:set("tid", count)' in script


def test_lua_script_sends_the_authorization_header_on_every_request():
    script = Workload("GET application", APPS, CONFIGS, authorization="Bearer cfgs_x-1").lua()
    assert '["Authorization"] = "Bearer cfgs_x-1"' in script
    formats = [line for line in script.splitlines() if "wrk.format(" in line]
    assert len(formats) == 5 and all(", headers" in line for line in formats)
    assert "Authorization" not in Workload("GET application", APPS, CONFIGS).lua()
