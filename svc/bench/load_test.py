import os
import stat

import psycopg2
import pytest

from bench import load
from bench.seed import seed
from bench.workload import Workload
from test.live_server import LiveServer

WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:8000
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    12.00ms    2.00ms  40.00ms   90.00%
  Latency Distribution
     50%  850.00us
     75%   12.00ms
     90%   15.00ms
     99%    1.20s
  2500 requests in 1.00s, 1.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   2500.50
Transfer/sec:      1.00MB
"""


def test_parse_wrk():
    result = load.parse_wrk(WRK_OUTPUT)
    assert (result.requests_per_second, result.p50_ms, result.p99_ms, result.errors) == (2500.5, 0.85, 1200.0, 7)


def test_percentile():
    assert load.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5) == 3.0
    assert load.percentile([], 0.5) != load.percentile([], 0.5)  # NaN


@pytest.fixture
def served(database_url):
    conn = psycopg2.connect(database_url)
    configs = seed(conn, 4, 1)
    conn.close()
    with LiveServer(database_url) as live:
        yield live, sorted({c["application_id"] for c in configs}), configs


def test_python_generator_measures_a_live_server(served):
    live, app_ids, configs = served
    workload = Workload("PUT configuration", app_ids, configs, authorization=live.headers["Authorization"])
    result = load.run(workload, live.url, 4, 1, prefer_wrk=False)
    assert result.tool == "python" and result.requests_per_second > 0 and result.errors == 0
    assert 0 < result.p50_ms <= result.p99_ms


def test_python_generator_without_the_token_is_refused(served):
    live, app_ids, configs = served
    result = load.run(Workload("GET application", app_ids, configs), live.url, 1, 0.3, prefer_wrk=False)
    assert result.requests_per_second > 0 and result.errors > 0


def test_wrk_is_used_when_installed(tmp_path, monkeypatch):
    fake = tmp_path / "wrk"
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + WRK_OUTPUT + "EOF\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    result = load.run(Workload("GET application", ["A"], []), "http://127.0.0.1:1", 32, 1)
    assert result.tool == "wrk" and result.requests_per_second == 2500.5
