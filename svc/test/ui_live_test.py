"""The page follows the change feed (headless Chromium, the real service): a version saved
by another client appears within 2 s without a reload, and after a drop the stream resumes
from its last id, so what was committed meanwhile still arrives."""

import time

from test.browser import api, browser, page, ui_server  # noqa: F401 (fixtures)

LIVE_WITHIN = 2.0  # seconds, from the PUT's answer to the new version on the screen


def test_a_put_by_another_client_appears_within_two_seconds(page, api, ui_server):
    app = api.application("live")
    config = api.configuration(app["id"], "watched", {"step": 0})
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v1")
    page.wait_for_text("#live", "live")
    for step in (1, 2):
        api.update(config["id"], "watched", {"step": step}, headers={"X-Actor": f"deployer-{step}"})
        committed = time.monotonic()
        page.wait_for_text("#current-version", f"v{step + 1}", timeout=LIVE_WITHIN)
        assert time.monotonic() - committed < LIVE_WITHIN
        assert f'"step": {step}' in page.find("#current-config").text
        page.wait_for_text('#timeline .event:first-child .actor', f"deployer-{step}", timeout=LIVE_WITHIN)
    assert page.driver.execute_script("return performance.getEntriesByType('navigation').length") == 1  # no reload


def test_after_a_drop_the_stream_resumes_from_its_last_event(page, api, ui_server):
    app = api.application("dropping")
    config = api.configuration(app["id"], "resumed", {"n": 1})
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v1")
    page.wait_for_text("#live", "live")
    page.driver.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
    page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
    try:
        page.wait_for_text("#live", "offline")
        api.update(config["id"], "resumed", {"n": 2})  # committed while the page is cut off
        assert page.find("#current-version").text == "v1"
    finally:
        page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline, "offline": False})
    page.wait_for_text("#live", "live")
    page.wait_for_text("#current-version", "v2")  # only the resumed stream could have said so
    page.driver.execute_cdp_cmd("Network.disable", {})
