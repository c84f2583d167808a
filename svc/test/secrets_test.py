"""No token text reaches a log line, an error, an event or any answer after the one that
created it: every text made here is searched for in the service's whole output (access
log and DEBUG included), in every later answer, and in the whole config_events table."""

import subprocess
import sys

import httpx

from test.live_server import SVC_DIR, LiveServer
from test.tokens import bearer, issue, remember


def test_token_texts_are_shown_once_and_never_logged_or_stored(database_url, db):
    texts, later_answers = [], []
    with LiveServer(database_url, access_log="true", log_level="DEBUG") as live:
        root = issue(database_url, "admin", name="root")["token"]
        texts.append(root)
        cli = subprocess.run([sys.executable, "-m", "config_service.cli.token", "create", "--name", "cli", "--role",
                              "reader"], cwd=SVC_DIR, capture_output=True, text=True, timeout=60,
                             env={"PATH": "/usr/bin:/bin", "MIGRATION_DATABASE_URL": database_url})
        assert cli.returncode == 0, cli.stderr
        texts.append(remember(cli.stdout.splitlines()[-1]))
        with httpx.Client(base_url=live.url, headers=bearer(root)) as http:
            created = http.post("/api/v1/tokens", json={"name": "rest", "role": "writer"}).json()
            texts.append(remember(created["token"]))
            rotated = http.post(f"/api/v1/tokens/{created['id']}/rotate", json={"grace_seconds": 5}).json()
            texts.append(remember(rotated["token"]))
            for text in texts:
                later_answers.append(http.get("/api/v1/applications", headers=bearer(text)))
                later_answers.append(http.get(f"/api/v1/applications?access_token={text}", headers=bearer(text)))
                later_answers.append(http.get("/api/v1/applications", headers=bearer(text + "x")))
                later_answers.append(http.get("/api/v1/applications", headers={"Authorization": f"Basic {text}"}))
                later_answers.append(http.get(f"/api/v1/nope/{text}", headers=bearer(text)))
            http.post(f"/api/v1/tokens/{rotated['id']}/revoke")
            later_answers.append(http.get("/api/v1/tokens"))
            later_answers.append(http.get("/api/v1/events?entity_type=token"))
            later_answers.append(http.get("/api/v1/applications", headers=bearer(rotated["token"])))
        code, output = live.terminate()
    with db.cursor() as cur:
        cur.execute("SELECT string_agg(e::text, ' ') AS log FROM config_events e")
        events = cur.fetchone()["log"]
        cur.execute("SELECT string_agg(t::text, ' ') AS rows FROM tokens t")
        rows = cur.fetchone()["rows"]
    assert code == 0 and "GET /api/v1/applications?access_token=cfgs_" in output  # the access log was on
    for text in texts:
        secret = text[len("cfgs_") + 27:]
        assert secret not in output and secret not in events and secret not in rows, text[:31]
        for answer in later_answers:
            assert secret not in answer.text and secret not in str(answer.headers), answer.request.url
