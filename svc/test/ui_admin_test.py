"""The auditor's and the admin's views (headless Chromium, the real service): the log
checked from the page in steps, against a checkpoint, down to the first altered event; and
tokens created, rotated and revoked, their text shown once."""

import re

import httpx
import psycopg2

from test.browser import api, browser, page, screenshot, ui_server  # noqa: F401 (fixtures)
from test.tokens import bearer

TOKEN_TEXT = re.compile(r"^cfgs_[0-9A-Z]{26}_[A-Za-z0-9_-]{43}$")


def sql(ui_server, statement: str):
    conn = psycopg2.connect(ui_server.database_url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(statement)
            return cur.fetchone() if cur.description else None
    finally:
        conn.close()


def verify_calls(page) -> int:
    return page.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/audit/verify')).length")


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
    assert verify_calls(page) >= 2  # a step at a time, with the bar moving

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
    page.find("#copy-token").click()
    page.wait_for_text("#token-secret [role=status]", "C")  # copied, or selected for Ctrl+C
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


def test_an_altered_event_is_named_as_the_first_problem(page, api, ui_server):
    """Last in this module: it leaves the module's log damaged."""
    app = api.application("tampered")
    config = api.configuration(app["id"], "victim", {"n": 1})
    api.update(config["id"], "victim", {"n": 2})
    seq = sql(ui_server, f"SELECT seq FROM config_events WHERE entity_id = '{config['id']}' AND version = 1")[0]
    sql(ui_server, f"SET session_replication_role = replica; UPDATE config_events SET actor = 'mallory' WHERE seq = {seq}")
    page.sign_in(ui_server.issue_token("admin"), "#/integrity")
    page.wait_for("#verify").click()
    page.wait_for_text("#verify-result", f"First problem — Event seq {seq} (configuration {config['id']})")
