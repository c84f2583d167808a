"""The Server-Sent Events stream against the real service: events, keep-alives, resuming."""

import httpx
import psycopg2

from config_service.db.announcer import AFTER_COMMIT
from test.live_server import LiveServer
from test.sql_writes import insert_application


class Stream:
    """Reads one SSE response: `messages()` yields ("comment", text) or ("event", {id, event, data})."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def next(self) -> tuple[str, object]:
        fields: dict[str, str] = {}
        for line in self.lines:
            if line.startswith(":"):
                return "comment", line[1:].strip()
            if line == "":
                if fields:
                    return "event", fields
                continue
            name, _, value = line.partition(": ")
            fields[name] = value
        return "end", None

    def next_event(self) -> dict:
        while True:
            kind, value = self.next()
            if kind != "comment":
                assert kind == "event", kind
                return value


def write(live, app_id: str, name: str) -> None:
    response = httpx.put(f"{live.url}/api/v1/applications/{app_id}", json={"name": name}, headers=live.headers)
    assert response.status_code == 200


def test_events_arrive_keepalives_flow_and_a_reconnect_repeats_nothing(database_url):
    with LiveServer(database_url, sse_keepalive_seconds="0.3") as live:
        app_id = httpx.post(live.url + "/api/v1/applications", json={"name": "v1"}, headers=live.headers).json()["id"]
        with httpx.stream("GET", live.url + "/api/v1/events/stream", headers=live.headers, timeout=10) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = Stream(response)
            first = stream.next_event()
            assert first["event"] == "config_event" and '"version": 1' in first["data"]
            write(live, app_id, "v2")
            second = stream.next_event()
            assert '"version": 2' in second["data"]
            kind, text = stream.next()
            assert (kind, text) == ("comment", "keep-alive")  # nothing else happens: a keep-alive comes
        write(live, app_id, "v3")
        headers = {"Last-Event-ID": first["id"]}
        with httpx.stream("GET", live.url + "/api/v1/events/stream", headers={**live.headers, **headers}, timeout=10) as response:
            stream = Stream(response)
            resumed = [stream.next_event(), stream.next_event()]
        assert [e["id"] for e in resumed][0] == second["id"]
        assert ['"version": 2' in resumed[0]["data"], '"version": 3' in resumed[1]["data"]] == [True, True]
        bad = httpx.get(live.url + "/api/v1/events/stream", headers={**live.headers, "Last-Event-ID": "nope"})
        assert bad.status_code == 422


def test_an_event_whose_announcement_was_lost_still_reaches_the_stream(database_url):
    # A session whose events wait for an announcement it never makes: a worker killed
    # between a write's commit and its announcement.
    silent = psycopg2.connect(database_url, options=AFTER_COMMIT)
    silent.autocommit = True
    try:
        with LiveServer(database_url, sse_keepalive_seconds="0.3") as live:
            httpx.post(live.url + "/api/v1/applications", json={"name": "announced"}, headers=live.headers)
            with httpx.stream("GET", live.url + "/api/v1/events/stream", headers=live.headers, timeout=10) as response:
                stream = Stream(response)
                assert "announced" in stream.next_event()["data"]
                insert_application(silent, "01ARZ3NDEKTSV4RRFFQ69G5FAV", "never-announced")
                for _ in range(60):  # keep-alives (0.3 s each) until the listener's second head check (5 s each)
                    kind, value = stream.next()
                    if kind != "comment":
                        break
                assert kind == "event" and "never-announced" in value["data"]
    finally:
        silent.close()


def test_a_database_restart_ends_the_stream_and_a_reconnect_resumes(controlled_postgres):
    with LiveServer(controlled_postgres.url, db_connect_timeout=2) as live:
        app_id = httpx.post(live.url + "/api/v1/applications", json={"name": "v1"}, headers=live.headers).json()["id"]
        with httpx.stream("GET", live.url + "/api/v1/events/stream", headers=live.headers, timeout=30) as response:
            stream = Stream(response)
            last = stream.next_event()
            controlled_postgres.stop("fast")
            while (kind := stream.next()[0]) != "end":
                assert kind == "comment"
        controlled_postgres.start()
        for attempt in range(100):  # the service reconnects by itself; retry until it answers
            reply = httpx.put(f"{live.url}/api/v1/applications/{app_id}", json={"name": "v2"}, headers=live.headers)
            if reply.status_code == 200:
                break
        assert reply.status_code == 200
        with httpx.stream("GET", live.url + "/api/v1/events/stream", headers={**live.headers, "Last-Event-ID": last["id"]},
                          timeout=30) as response:
            resumed = Stream(response).next_event()
        assert '"version": 2' in resumed["data"] and resumed["id"] != last["id"]
