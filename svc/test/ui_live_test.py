"""The page follows the change feed (headless Chromium, the real service): a version saved
by another client appears within 2 s without a reload; after a drop the stream resumes from
the id of the last event it received, so what was committed meanwhile still arrives; a
token refused (401) signs the page out, an unreachable service does not."""

import time
from contextlib import contextmanager

from test.browser import Api, api, browser, page, ui_server  # noqa: F401 (fixtures)

LIVE_WITHIN = 2.0  # seconds, from the PUT's answer to the new version on the screen
OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


@contextmanager
def network(page):
    page.driver.execute_cdp_cmd("Network.enable", {})
    try:
        yield
    finally:
        page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**OFFLINE, "offline": False})
        page.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        page.driver.execute_cdp_cmd("Network.disable", {})


@contextmanager
def offline(page):
    """The page cut off from the network (its stream dropped) until the block ends."""
    page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", OFFLINE)
    try:
        page.wait_for_text("#live", "offline")
        yield
    finally:
        page.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {**OFFLINE, "offline": False})


def cursors_taken(page) -> int:
    """How often the page took a fresh cursor (GET /events?after=now) rather than resume."""
    return page.driver.execute_script(
        "return performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/events?after=now')).length")


def test_a_put_by_another_client_appears_within_two_seconds(page, api, ui_server):
    app = api.application("live")
    config = api.configuration(app["id"], "watched", {"step": 0})
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v1")
    page.wait_for_text("#live", "live")
    page.wait_for_text("#compare-result", "Only one version so far.")
    for step in (1, 2):
        api.update(config["id"], "watched", {"step": step}, headers={"X-Actor": f"deployer-{step}"})
        committed = time.monotonic()
        page.wait_for_text("#current-version", f"v{step + 1}", timeout=LIVE_WITHIN)
        assert time.monotonic() - committed < LIVE_WITHIN
        assert f'"step": {step}' in page.find("#current-config").text
        page.wait_for_text('#timeline .event:first-child .actor', f"deployer-{step}", timeout=LIVE_WITHIN)
        # The default diff follows: the new version against the one before it.
        page.wait_for_text("#compare-result thead", f"v{step + 1}")
        assert [page.find(css).get_property("value") for css in ("#compare-from", "#compare-to")] == [str(step), str(step + 1)]
    assert page.driver.execute_script("return performance.getEntriesByType('navigation').length") == 1  # no reload


def test_after_a_drop_the_stream_resumes_from_its_last_event(page, api, ui_server):
    app = api.application("dropping")
    config = api.configuration(app["id"], "resumed", {"n": 1})
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v1")
    page.wait_for_text("#live", "live")
    api.update(config["id"], "resumed", {"n": 2})  # received: its id is where the stream resumes
    page.wait_for_text("#current-version", "v2")
    with network(page):
        with offline(page):
            api.update(config["id"], "resumed", {"n": 3})  # committed while the page is cut off
            assert page.find("#current-version").text == "v2"
        page.wait_for_text("#live", "live")
        page.wait_for_text("#current-version", "v3")  # only the resumed stream could have said so
    assert cursors_taken(page) == 1  # resumed with Last-Event-ID, never a fresh cursor
    rows = page.wait_for_count("#timeline .event", 3)
    assert [row.get_attribute("data-version") for row in rows] == ["3", "2", "1"]  # each version once


def test_a_refused_token_signs_the_page_out_and_an_unreachable_service_does_not(page, api, ui_server):
    text = ui_server.issue_token("reader", name="short-lived")
    page.sign_in(text)
    with network(page):
        # The service cannot be reached as the page starts: the token is kept, to try again.
        page.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/api/v1/tokens/self"]})
        page.driver.refresh()
        page.wait_for_text("#sign-in [role=alert]", "Could not reach the service")
        assert page.driver.execute_script("return Object.values(sessionStorage)") == [text]
        page.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        page.find("#retry").click()
        page.wait_for_text("#who-name", "short-lived")
        page.wait_for_text("#live", "live")

        # Revoked while the stream is open: when it reconnects it is refused, and stops there.
        with Api(ui_server, {"Authorization": f"Bearer {ui_server.issue_token('admin')}"}) as admin:
            admin.call("POST", f"/tokens/{text.split('_')[1]}/revoke")
        with offline(page):
            pass
    page.wait_for_text("#sign-in [role=alert]", "no longer accepted")
    assert page.driver.execute_script("return sessionStorage.length") == 0
    assert page.find("#who").text == "" and not page.find("#live").is_displayed()
