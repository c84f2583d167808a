"""Two service processes, each with two uvicorn workers, on one database."""

import collections
import itertools
import re
import socket
import subprocess
import threading

import httpx

from test.audit_invariants import assert_audit_invariants
from test.live_server import LiveServer
from test.polling import wait_until


def test_updates_through_four_workers_stay_gapless(database_url, db):
    with LiveServer(database_url, web_concurrency=2, db_threads=4) as first, LiveServer(
        database_url, web_concurrency=2, db_threads=4
    ) as second:
        with httpx.Client(base_url=first.url, headers=first.headers) as client:
            app_id = client.post("/api/v1/applications", json={"name": "app"}).json()["id"]
            body = {"application_id": app_id, "name": "shared", "config": {}}
            config_id = client.post("/api/v1/configurations", json=body).json()["id"]
        statuses: list[int] = []
        barrier = threading.Barrier(16)

        def writer(i: int) -> None:
            # Fresh connections spread the requests over both processes and their workers.
            urls = itertools.cycle([first.url, second.url])
            barrier.wait()
            for n in range(5):
                update = {"name": "shared", "config": {"writer": i, "n": n}}
                response = httpx.put(f"{next(urls)}/api/v1/configurations/{config_id}", json=update,
                                     headers=first.headers, timeout=30)
                statuses.append(response.status_code)

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert statuses == [200] * 80
        for server in (first, second):
            code, output = server.terminate()
            assert code == 0, output
    with db.cursor() as cur:
        cur.execute("SELECT max(version) AS v, count(*) AS n FROM config_events WHERE entity_id = %s", (config_id,))
        assert cur.fetchone() == {"v": 81, "n": 81}
    assert_audit_invariants(db)


def sockets_per_process(port: int, state: str) -> list[int]:
    listed = subprocess.run(["ss", "-tnpH", "state", state, f"( sport = :{port} )"],
                            capture_output=True, text=True, check=True).stdout
    return sorted(collections.Counter(re.findall(r"pid=(\d+)", listed)).values())


def test_two_workers_each_accept_a_share_of_a_burst_of_connections(database_url):
    with LiveServer(database_url, web_concurrency=2, db_threads=4) as live:
        wait_until(lambda: sockets_per_process(live.port, "listening") == [1, 1])  # both workers up
        burst = [socket.create_connection(("127.0.0.1", live.port)) for _ in range(32)]
        try:
            for sock in burst:  # answered: accepted by a worker
                sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert sock.recv(100).startswith(b"HTTP/1.1 200")
            shares = sockets_per_process(live.port, "established")
        finally:
            for sock in burst:
                sock.close()
    # Spread by the kernel over each worker's own socket: one worker with all 32 happens
    # with probability 2^-31; with one shared socket it happened in about one run in four.
    assert len(shares) == 2 and sum(shares) == 32, shares


def test_a_second_service_on_a_taken_port_stops_with_one_line(database_url):
    with LiveServer(database_url, web_concurrency=2, db_threads=4) as first:
        second = LiveServer(database_url, web_concurrency=2, db_threads=4, port=first.port)
        try:
            second.process.wait(timeout=60)  # it must exit, not join the first one's workers
            code, output = second.terminate()
        finally:
            second.__exit__()
    assert code == 1 and "cannot listen on" in output and "Address already in use" in output, output
