import errno
import os
import subprocess
import sys
import json
import pickle
import socket

from pathlib import Path

import httpx

from config_service.cli import affinity, scheduling, start
from config_service.db import local_postgres
from config_service.settings import Settings
from test.live_server import SVC_DIR, LiveServer, free_port
from test.polling import wait_until
from test.tokens import bearer, issue, remember


def test_uvicorn_config_follows_the_settings():
    settings = Settings(_env_file=None, port=9123, web_concurrency=3, log_level="WARNING", access_log=True)
    config = start.uvicorn_config(settings)
    assert (config.port, config.workers, config.access_log, config.factory) == (9123, 3, True, True)
    assert config.app == start.APP


def test_listening_socket_has_tcp_nodelay_and_shares_its_port_only_when_asked():
    sock = start.listening_socket("127.0.0.1", free_port(), reuse_port=True)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        sock.listen()
        client = socket.create_connection(sock.getsockname())
        accepted, _ = sock.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        accepted.close()
        client.close()
        start.listening_socket(*sock.getsockname(), reuse_port=True).close()  # another worker's
        try:
            start.listening_socket(*sock.getsockname()).close()
        except OSError as exc:  # how `start` finds the address taken before starting workers
            assert exc.errno == errno.EADDRINUSE
        else:
            raise AssertionError("a socket without SO_REUSEPORT must not share the port")
    finally:
        sock.close()


def test_each_worker_unpickles_a_listening_socket_of_its_own():
    port = free_port()
    handed = start.WorkerSockets("127.0.0.1", port)
    assert handed == []  # the parent listens on nothing
    first, second = pickle.loads(pickle.dumps(handed)), pickle.loads(pickle.dumps(handed))
    try:
        assert [s.getsockname() for s in first + second] == [("127.0.0.1", port)] * 2
        assert first[0].fileno() != second[0].fileno()
        assert first[0].getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) != 0
    finally:
        for sock in first + second:
            sock.close()


def test_bad_setting_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setenv("PORT", "http")
    assert start.main() == 2
    err = capsys.readouterr().err
    assert err.startswith("invalid settings: PORT:") and err.count("\n") == 1


def test_unreachable_database_exits_1_with_one_message(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@/postgres?host={tmp_path}")
    assert start.main() == 1
    assert capsys.readouterr().err.startswith("migrate: cannot reach the database")


def test_start_migrates_serves_and_stops_on_sigterm(empty_database_url):
    with LiveServer(empty_database_url) as server:
        assert httpx.get(server.url + "/ready").json() == {"status": "ready"}
        assert httpx.post(server.url + "/api/v1/applications", json={"name": "live"}).status_code == 401
        headers = bearer(issue(empty_database_url)["token"])
        created = httpx.post(server.url + "/api/v1/applications", json={"name": "live"}, headers=headers)
        assert created.status_code == 201
        code, output = server.terminate()
    assert code == 0, output
    assert output.count(start.FIRST_TOKEN) == 1, output  # said once, when no token existed


def test_a_service_leading_its_session_lets_postgres_run_first(empty_database_url):
    with LiveServer(empty_database_url, web_concurrency=2) as server:  # a session of its own
        autogroup = Path(f"/proc/{server.process.pid}/autogroup").read_text()
        code, output = server.terminate()
    assert code == 0, output
    if scheduling.AUTOGROUP_ENABLED.read_text().strip() == "1":
        assert autogroup.strip().endswith("nice 5"), autogroup
        assert "scheduling priority of the service's session: nice 5" in output, output
    else:
        assert "the kernel's autogroup is off" in output, output


def test_local_postgres_that_cannot_start_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LOCAL_POSTGRES_DIR", str(blocker / "pg"))
    assert start.main() == 1
    assert capsys.readouterr().err.startswith("start: ")


def test_json_logs_put_the_request_id_on_the_access_line(empty_database_url):
    settings = {"access_log": "true", "log_format": "json", "log_level": "INFO"}
    with LiveServer(empty_database_url, **settings) as server:
        httpx.get(server.url + "/health", headers={"X-Request-ID": "trace-7"})
        code, output = server.terminate()
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(entries) == len(output.strip().splitlines()), output  # every line is JSON
    access = [e for e in entries if e["logger"] == "uvicorn.access"]
    assert any(e["request_id"] == "trace-7" and "/health" in e["message"] for e in access), access


def test_serving_as_a_superuser_is_warned_about_once(empty_database_url):
    with LiveServer(empty_database_url) as server:
        code, output = server.terminate()
    assert code == 0 and output.count("the audit log is not protected") == 1, output


def test_local_postgres_serves_as_the_app_role_without_a_warning(tmp_path):
    with LiveServer(None, local_postgres_dir=str(tmp_path / "pg")) as server:
        # The first token, as the quick start makes it: the command on the same local PostgreSQL.
        made = token_command(tmp_path / "pg", "create", "--name", "me", "--role", "writer")
        assert made.returncode == 0, made.stderr
        text = remember(made.stdout.splitlines()[-1])
        created = httpx.post(server.url + "/api/v1/applications", json={"name": "local"}, headers=bearer(text))
        assert created.status_code == 201
        code, output = server.terminate()
    assert code == 0 and "not protected" not in output, output


def token_command(local_postgres_dir, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if "DATABASE_URL" not in k}
    return subprocess.run([sys.executable, "-m", "config_service.cli.token", *args], cwd=SVC_DIR, text=True,
                          capture_output=True, env={**env, "LOCAL_POSTGRES_DIR": str(local_postgres_dir)}, timeout=60)


def test_auth_off_is_warned_about_once(empty_database_url):
    with LiveServer(empty_database_url, auth="off") as server:
        created = httpx.post(server.url + "/api/v1/applications", json={"name": "open"}, headers={"X-Actor": "me"})
        assert created.status_code == 201
        code, output = server.terminate()
    assert code == 0 and output.count("AUTH=off: requests are not authenticated") == 1, output
    assert start.FIRST_TOKEN not in output


def test_a_service_role_that_cannot_connect_is_one_line(empty_database_url, monkeypatch, capsys):
    monkeypatch.setenv("MIGRATION_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("DATABASE_URL", local_postgres.with_user(empty_database_url, "nobody_here"))
    assert start.main() == 1
    [last] = [line for line in capsys.readouterr().err.splitlines() if line.startswith("start:")]
    assert last.startswith("start: cannot connect as the service's role") and "nobody_here" in last


def test_uvicorn_picks_the_fast_stack_uvloop_and_httptools():
    from uvicorn.loops.auto import auto_loop_factory
    from uvicorn.protocols.http.auto import AutoHTTPProtocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    config = start.uvicorn_config(Settings(_env_file=None))
    assert (config.loop, config.http) == ("auto", "auto")
    assert AutoHTTPProtocol is HttpToolsProtocol
    assert "uvloop" in auto_loop_factory(use_subprocess=False).__module__


def test_each_worker_handed_its_sockets_is_given_a_cpu_in_turn():
    handed = start.WorkerSockets("127.0.0.1", free_port(), affinity.WorkerCpus([0, 1]))
    assert [handed.__reduce__()[1][2] for _ in range(3)] == [0, 1, 0]
    assert start.WorkerSockets("127.0.0.1", free_port()).__reduce__()[1][2] is None


def test_a_worker_refused_its_cpu_still_listens_and_says_so(caplog):
    before = os.sched_getaffinity(0)
    [sock] = start._own_listening_socket("127.0.0.1", free_port(), cpu=4096)  # no such CPU
    sock.close()
    assert os.sched_getaffinity(0) == before
    assert "worker left where the kernel puts it (CPU 4096 refused: Invalid argument)" in caplog.text


def thread_cpus_list(pid: int) -> list[tuple[int, ...]]:
    return [tuple(sorted(os.sched_getaffinity(int(task.name)))) for task in Path(f"/proc/{pid}/task").iterdir()]


def thread_cpus(pid: int) -> set[tuple[int, ...]]:
    return set(thread_cpus_list(pid))


def worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    return [int(pid) for pid in children if "multiprocessing.spawn" in Path(f"/proc/{pid}/cmdline").read_text()]


def test_each_worker_runs_on_a_cpu_of_its_own(database_url):
    usable = affinity.usable_cpus()
    with LiveServer(database_url, web_concurrency=2, db_threads=4) as server:
        # A worker pins itself before it starts its first thread (uvicorn's health pong).
        wait_until(lambda: [len(thread_cpus_list(pid)) > 1 for pid in worker_pids(server.process.pid)] == [True] * 2)
        workers = [thread_cpus(pid) for pid in worker_pids(server.process.pid)]
        code, output = server.terminate()
    assert code == 0, output
    if len(usable) > 1:
        assert sorted(workers) == sorted([{(usable[0],)}, {(usable[1],)}]), workers
    else:
        assert workers == [{tuple(usable)}] * 2


def test_one_worker_runs_on_one_cpu_unless_told_otherwise(database_url):
    usable = tuple(affinity.usable_cpus())
    with (LiveServer(database_url, log_level="info") as pinned,
          LiveServer(database_url, log_level="info", worker_cpu_affinity="off") as free):
        pinned_cpus, free_cpus = thread_cpus(pinned.process.pid), thread_cpus(free.process.pid)
        outputs = []
        for server in (pinned, free):
            code, output = server.terminate()
            assert code == 0, output
            outputs.append(output)
    assert free_cpus == {usable}
    assert ("CPU of the worker: " in outputs[0]) == (len(usable) > 1) and "CPU of the worker" not in outputs[1]
    assert len(pinned_cpus) == 1 and len(next(iter(pinned_cpus))) == 1 and set(*pinned_cpus) <= set(usable)
