import threading
import time

import psycopg2
import pytest

from config_service.services import feed
from config_service.services.feed import Position, encode_cursor
from test.polling import wait_until


@pytest.fixture
def ids(client) -> dict:
    a = client.post("/api/v1/applications", json={"name": "a"}, headers={"X-Actor": "ann"}).json()["id"]
    b = client.post("/api/v1/applications", json={"name": "b"}).json()["id"]
    c = client.post("/api/v1/configurations", json={"application_id": a, "name": "c", "config": {}}).json()["id"]
    client.put(f"/api/v1/configurations/{c}", json={"name": "c", "config": {"n": 1}}, headers={"X-Actor": "bob"})
    return {"a": a, "b": b, "c": c}


def follow(client, query: str = "", limit: int = 2) -> list[dict]:
    items, cursor = [], None
    while True:
        after = f"&after={cursor}" if cursor else ""
        page = client.get(f"/api/v1/events?limit={limit}{after}{query}").json()
        items += page["items"]
        if not page["items"]:
            assert page["next"] == cursor or cursor is None
            return items
        cursor = page["next"]


def test_following_next_gives_every_event_once_oldest_first(client, ids):
    events = follow(client)
    # seq 1 is the client's token, whose events a writer does not see.
    assert [e["seq"] for e in events] == [2, 3, 4, 5]
    assert events[3]["entity_id"] == ids["c"] and events[3]["version"] == 2 and events[3]["restored_from"] is None
    assert events[0]["occurred_at"].endswith("Z") and len(events[0]["hash"]) == 64


def test_filters(client, ids):
    assert [e["seq"] for e in follow(client, f"&application_id={ids['a'].lower()}")] == [2, 4, 5]
    assert [e["seq"] for e in follow(client, "&entity_type=configuration")] == [4, 5]
    assert [e["seq"] for e in follow(client, f"&entity_id={ids['b']}")] == [3]
    assert [e["seq"] for e in follow(client, "&actor=bob")] == [5]
    assert follow(client, "&actor=nobody") == []


def test_next_is_always_present_and_now_starts_at_the_head(client, ids):
    last = client.get("/api/v1/events").json()["next"]
    assert client.get(f"/api/v1/events?after={last}").json() == {"items": [], "next": last}
    now = client.get("/api/v1/events?after=now").json()
    assert now["items"] == [] and now["next"]
    client.put(f"/api/v1/applications/{ids['b']}", json={"name": "b2"})
    assert [e["seq"] for e in client.get(f"/api/v1/events?after={now['next']}").json()["items"]] == [6]


@pytest.mark.parametrize(
    "query",
    ["after=5", "after=4.00000000", "after=x", f"after={encode_cursor(Position(1, 4))}x", "limit=0", "limit=1001", "wait=-1",
     "wait=61", "wait=x", "entity_type=app", "application_id=nope", "entity_id=1", "actor=" + "a" * 257],
)
def test_bad_cursors_limits_filters_and_waits_are_422(client, query):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422 and response.json()["detail"], query


def test_wait_answers_within_a_second_of_a_matching_commit(client, ids):
    head = client.get("/api/v1/events?after=now").json()["next"]
    listener = client.app.state.listener
    committed = []

    def write_once_the_request_waits():
        wait_until(lambda: listener._watches)
        client.put(f"/api/v1/applications/{ids['a']}", json={"name": "other entity"})
        client.put(f"/api/v1/applications/{ids['b']}", json={"name": "b2"})
        committed.append(time.monotonic())

    writer = threading.Thread(target=write_once_the_request_waits)
    writer.start()
    page = client.get(f"/api/v1/events?after={head}&wait=20&entity_id={ids['b']}").json()
    answered = time.monotonic()
    writer.join()
    assert [(e["entity_id"], e["version"]) for e in page["items"]] == [(ids["b"], 2)]
    assert answered - committed[0] < 1


def test_wait_times_out_with_no_items(client, ids):
    started = time.monotonic()
    page = client.get("/api/v1/events?after=now&wait=0.5").json()
    assert page["items"] == [] and 0.5 <= time.monotonic() - started < 3


def test_head_of_the_stream_answers_headers_only(client):
    response = client.head("/api/v1/events/stream")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")


def test_a_waiting_request_answers_once_an_announced_event_becomes_readable(client, ids, database_url, monkeypatch):
    """B's commit is announced while an older transaction still runs, so B cannot be read
    yet; that transaction then rolls back, which announces nothing: the request must look
    again by itself."""
    older = psycopg2.connect(database_url)
    older.cursor().execute("SELECT pg_current_xact_id()")
    head = client.get("/api/v1/events?after=now").json()["next"]
    reads = []
    page = feed.page
    monkeypatch.setattr(feed, "page", lambda *args: reads.append(page(*args)) or reads[-1])
    answer = []
    waiter = threading.Thread(
        target=lambda: answer.append(client.get(f"/api/v1/events?after={head}&wait=20&entity_id={ids['b']}").json()))
    waiter.start()
    wait_until(lambda: client.app.state.listener._watches)
    client.put(f"/api/v1/applications/{ids['b']}", json={"name": "b2"})
    wait_until(lambda: any(watch._announced for watch in client.app.state.listener._watches))
    announced_at = len(reads)
    wait_until(lambda: len(reads) > announced_at)  # read again while B is not readable yet
    assert not answer and reads[-1].items == []
    older.rollback()
    rolled_back = time.monotonic()
    waiter.join(30)
    assert [(e["entity_id"], e["version"]) for e in answer[0]["items"]] == [(ids["b"], 2)]
    assert time.monotonic() - rolled_back < 1
    older.close()


def test_feed_pages_link_to_the_next_one_in_a_header_too(client, ids):
    page = client.get("/api/v1/events?limit=2&entity_type=configuration")
    link = page.headers["link"]
    assert link.startswith("</api/v1/events?") and link.endswith('>; rel="next"')
    following = client.get(link[1:link.index(">")])  # the same filters, after the cursor
    assert following.json()["items"] == client.get(f"/api/v1/events?limit=2&entity_type=configuration"
                                                   f"&after={page.json()['next']}").json()["items"]
    assert "after=" in link and "entity_type=configuration" in link


def test_waits_beyond_feed_max_wait_seconds_are_422_and_the_description_says_so(settings, client_token):
    from fastapi.testclient import TestClient

    from config_service.main import create_app
    from test.tokens import bearer

    app = create_app(settings.model_copy(update={"feed_max_wait_seconds": 0.5}))
    with TestClient(app, headers=bearer(client_token["token"])) as limited:
        assert limited.get("/api/v1/events?wait=0.5").status_code == 200
        refused = limited.get("/api/v1/events?wait=0.6")
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "wait"]
        [wait] = [p for p in app.openapi()["paths"]["/api/v1/events"]["get"]["parameters"] if p["name"] == "wait"]
        assert wait["schema"]["maximum"] == 0.5


def test_the_stream_refuses_a_bad_after_also_beside_last_event_id(client):
    response = client.get("/api/v1/events/stream?after=x", headers={"Last-Event-ID": "now"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "after"]


def test_head_of_the_stream_resumes_from_last_event_id(client):
    cursor = client.get("/api/v1/events").json()["next"]
    response = client.head("/api/v1/events/stream?after=now", headers={"Last-Event-ID": cursor})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
    assert client.head("/api/v1/events/stream", headers={"Last-Event-ID": cursor + "0"}).status_code == 422
