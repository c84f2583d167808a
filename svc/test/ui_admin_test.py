"""The auditor's and the admin's views (headless Chromium, the real service): the log
checked from the page in steps, against a checkpoint, down to the first altered or forged
event (each test that damages the log on a database of its own); and tokens created,
rotated and revoked, their text shown once."""

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg2

from test.browser import (  # noqa: F401 (fixtures)
    Api, api, browser, own_page, own_server, page, screenshot, ui_server,
)
from test.tokens import bearer

TOKEN_TEXT = re.compile(r"^cfgs_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$")
REPLICA = "SET session_replication_role = replica; "  # as an owner tampering would: triggers off
FORGED = REPLICA + """INSERT INTO config_events (seq, id, occurred_at, entity_type, entity_id, application_id,
    action, version, before, after, changed_fields, request_id, hash) OVERRIDING SYSTEM VALUE
    VALUES (-5, '01ARZ3NDEKTSV4RRFFQ69G5FAV', '2001-01-01Z', 'application', %(a)s, %(a)s, 'updated', 2,
            '{}', '{}', '{}', 'forged', 'x')"""


def sql(server, statement: str, parameters: dict | None = None):
    """A statement as the database owner."""
    conn = psycopg2.connect(server.database_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(statement, parameters)
            return cur.fetchone() if cur.description else None
    finally:
        conn.close()


def verify_queries(page) -> list[dict]:
    """The query of each GET /audit/verify the page made, in order."""
    urls = page.driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/v1/audit/verify'))")
    return [{k: v[0] for k, v in parse_qs(urlsplit(url).query).items()} for url in urls]


def test_the_log_is_checked_in_steps_and_against_a_checkpoint(page, api, ui_server, tmp_path):
    app = api.application("audited")
    config = api.configuration(app["id"], "counted", {"n": 0})
    for n in range(1, 150):
        api.update(config["id"], "counted", {"n": n})
    checkpoint = sql(ui_server, "SELECT config_events_checkpoint()")[0]
    api.update(config["id"], "counted", {"n": "after the checkpoint"})
    page.sign_in(ui_server.issue_token("auditor"), "#/integrity")  # a token event too
    last_seq = sql(ui_server, "SELECT max(seq) FROM config_events")[0]
    page.wait_for_text("#latest-checkpoint-text", checkpoint)
    page.find("#verify").click()
    page.wait_for_text("#verify-result", f"intact up to seq {last_seq}")
    assert page.find("#verify-progress").get_property("value") == 1
    steps = verify_queries(page)
    assert len(steps) >= 2  # a step at a time, with the bar moving
    assert "after" not in steps[0] and "up_to" not in steps[0]  # the first from the very first event
    assert all(step["up_to"] == str(last_seq) and "after" in step for step in steps[1:])  # then to its horizon
    assert [int(step["after"]) for step in steps[1:]] == sorted({int(step["after"]) for step in steps[1:]})
    assert page.find("#verify-progress-text").text == f"checked up to seq {last_seq} of {last_seq}"

    page.find("#use-latest").click()
    assert page.find("#checkpoint-input").get_property("value") == checkpoint
    page.find("#verify").click()
    page.wait_for_text("#verify-result", f"intact up to seq {last_seq}, and consistent with the checkpoint")
    screenshot(page.driver, tmp_path, "integrity", keep=True)

    seq, digest = checkpoint.split(".")
    page.set_value("#checkpoint-input", f"{seq}.{'0' * len(digest)}")  # not the log the auditor saw
    page.find("#verify").click()
    page.wait_for_text("#verify-result", "First problem")
    assert "intact" not in page.find("#verify-result").text


def test_tokens_are_created_with_their_text_shown_once_rotated_and_revoked(page, ui_server, tmp_path):
    page.sign_in(ui_server.issue_token("admin", name="root"), "#/tokens")
    page.wait_for("#token-name").send_keys("ci-deploy")
    page.find("#token-role").send_keys("reader")
    page.find("#create-token button[type=submit]").click()
    page.wait_for("#new-token-text")
    text = page.find("#new-token-text").get_property("value")
    assert TOKEN_TEXT.match(text)
    who = httpx.get(ui_server.url + "/api/v1/tokens/self", headers=bearer(text)).json()
    assert (who["name"], who["role"]) == ("ci-deploy", "reader")
    page.wait_for(f'.token[data-token="{who["id"]}"]')
    origin = {"origin": ui_server.url}
    page.driver.execute_cdp_cmd("Browser.grantPermissions",
                                {**origin, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    try:
        page.find("#copy-token").click()
        page.wait_for_text("#token-secret [role=status]", "Copied.")
        assert page.driver.execute_async_script(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, (e) => done(String(e)))") == text
    finally:
        page.driver.execute_cdp_cmd("Browser.resetPermissions", {})
    screenshot(page.driver, tmp_path, "tokens")

    page.find("#token-done").click()
    assert page.find_all("#new-token-text") == []
    page.go("#/activity")
    page.wait_for("#activity-filters")
    page.go("#/tokens")
    page.wait_for(f'.token[data-token="{who["id"]}"]')
    assert text not in page.driver.page_source and page.find_all("#new-token-text") == []
    assert text not in page.driver.execute_script("return JSON.stringify(sessionStorage) + location.href")

    page.find(f'.rotate[data-token="{who["id"]}"]').click()
    page.wait_for(f'.token[data-token="{who["id"]}"] .confirm').click()
    page.wait_for("#new-token-text")
    rotated = page.find("#new-token-text").get_property("value")
    assert TOKEN_TEXT.match(rotated) and rotated != text
    assert httpx.get(ui_server.url + "/api/v1/tokens/self", headers=bearer(rotated)).json()["name"] == "ci-deploy"
    new_id = rotated.split("_")[1]

    page.wait_for(f'.revoke[data-token="{new_id}"]').click()
    page.wait_for(f'.token[data-token="{new_id}"] .confirm').click()
    page.wait_for(f'.token[data-token="{new_id}"] .badge.revoked')
    assert httpx.get(ui_server.url + "/api/v1/tokens/self", headers=bearer(rotated)).status_code == 401


def test_an_altered_event_is_named_as_the_first_problem(own_page, own_server):
    with Api(own_server) as api:
        app = api.application("tampered")
        config = api.configuration(app["id"], "victim", {"n": 1})
        api.update(config["id"], "victim", {"n": 2})
    seq = sql(own_server, "SELECT seq FROM config_events WHERE entity_id = %(c)s AND version = 1", {"c": config["id"]})[0]
    sql(own_server, REPLICA + "UPDATE config_events SET actor = 'mallory' WHERE seq = %(s)s", {"s": seq})
    own_page.sign_in(own_server.issue_token("admin"), "#/integrity")
    own_page.wait_for("#verify").click()
    own_page.wait_for_text("#verify-result", f"First problem — Event seq {seq} (configuration {config['id']})")
    assert "intact" not in own_page.find("#verify-result").text


def test_a_forged_event_below_the_first_seq_is_found(own_page, own_server):
    """An event slipped in with seq -5, before every real one: the first step starts at the
    very first event (no `after`), so it is checked and named."""
    with Api(own_server) as api:
        app = api.application("forged-into")
        api.configuration(app["id"], "bystander", {"n": 1})
    sql(own_server, FORGED, {"a": app["id"]})
    own_page.sign_in(own_server.issue_token("auditor"), "#/integrity")
    own_page.wait_for("#verify").click()
    own_page.wait_for_text("#verify-result", f"First problem — Event seq -5 (application {app['id']})")
    assert "intact" not in own_page.find("#verify-result").text
    assert "after" not in verify_queries(own_page)[0]
