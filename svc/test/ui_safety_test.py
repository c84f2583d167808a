"""Untrusted text stays text, and the page is usable by everyone (headless Chromium, the
real service): hostile names and values are shown literally with no script run; readers
see no write controls; the layout holds at 1280 and 390 px; every control is labelled and
reachable with the Tab key."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from test.browser import NARROW, WIDE, api, browser, page, screenshot, set_viewport, ui_server  # noqa: F401

IMG_PAYLOAD = '<img src=x onerror="window.__pwned=1">'
SCRIPT_PAYLOAD = "</script><script>window.__pwned=2</script>"

# Every visible interactive element, and why it has no accessible name (null when it has one).
CONTROLS = """
const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
return [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
  .filter(el => visible(el) && !el.disabled && el.tabIndex >= 0)
  .map(el => {
    let problem = null;
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName)) {
      if (!(el.labels && el.labels.length && el.labels[0].textContent.trim()) && !el.getAttribute('aria-label')) problem = 'no label';
    } else if (!(el.textContent.trim() || el.getAttribute('aria-label'))) problem = 'no name';
    return [el, problem];
  });
"""


@pytest.fixture
def hostile(api):
    """An application, a configuration and an actor that would run script if shown as HTML."""
    app = api.application(IMG_PAYLOAD, comments=SCRIPT_PAYLOAD)
    config = api.configuration(app["id"], IMG_PAYLOAD, {"html": SCRIPT_PAYLOAD, IMG_PAYLOAD: [SCRIPT_PAYLOAD]},
                               comments=IMG_PAYLOAD)
    api.update(config["id"], IMG_PAYLOAD, {"html": SCRIPT_PAYLOAD + "!"}, headers={"X-Actor": IMG_PAYLOAD})
    return app, config


# Markup that sets a flag if it is ever parsed as HTML with inline handlers allowed.
CANARY = """
const probe = document.createElement('div');
document.body.append(probe);
probe.innerHTML = '<img src=x onerror="window.__canary = 1">';
return probe;
"""


def assert_nothing_ran(page) -> None:
    assert page.driver.execute_script("return window.__pwned") is None
    assert page.driver.execute_script("return document.querySelectorAll('main img, main script, #who img').length") == 0


@pytest.fixture
def no_policy(page):
    """The page without its Content-Security-Policy (bypassed through the DevTools protocol),
    so that only rendering as text stands between a payload and running it."""
    page.driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": True})
    try:
        page.driver.get("about:blank")  # a new document, loaded without the policy
        page.reset()
        yield page
    finally:
        page.driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})
        page.driver.get("about:blank")


def test_hostile_names_and_values_are_shown_as_text_and_run_nothing(no_policy, ui_server, hostile):
    page = no_policy
    app, config = hostile
    page.sign_in(ui_server.issue_token("reader", name=IMG_PAYLOAD))
    # The policy really is off: markup parsed as HTML here would run its handler.
    probe = page.driver.execute_script(CANARY)
    page.wait().until(lambda d: d.execute_script("return window.__canary") == 1)
    page.driver.execute_script("arguments[0].remove(); delete window.__canary", probe)
    assert page.find("#who-name").text == IMG_PAYLOAD  # the signed-in token's name, as text
    page.wait_for(".application-link")
    assert IMG_PAYLOAD in [link.text for link in page.find_all(".application-link")]
    assert SCRIPT_PAYLOAD in page.find("#application-list").text
    assert_nothing_ran(page)

    page.go(f"#/applications/{app['id']}")
    page.wait_for_text(".view-title", IMG_PAYLOAD)
    page.wait_for_text(".configuration-link", IMG_PAYLOAD)
    assert_nothing_ran(page)

    page.go(f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v2")
    assert page.find(".view-title").text == IMG_PAYLOAD
    assert f'"html": "{SCRIPT_PAYLOAD}!"' in page.find("#current-config").text
    page.wait_for_text("#timeline .event .actor", IMG_PAYLOAD)
    page.wait_for(".side-by-side")
    assert SCRIPT_PAYLOAD in page.find("#compare-result").text
    assert_nothing_ran(page)

    page.go("#/activity")
    page.wait_for_text("#activity-list", IMG_PAYLOAD)
    assert_nothing_ran(page)
    assert page.find("#who-name").text == IMG_PAYLOAD


def test_readers_and_auditors_see_no_write_controls(page, api, ui_server):
    app = api.application("read-only")
    config = api.configuration(app["id"], "looked-at", {"a": 1})
    api.update(config["id"], "looked-at", {"a": 2})
    for role, nav in [("reader", ["Applications", "Activity"]), ("auditor", ["Applications", "Activity", "Integrity"])]:
        page.reset()
        page.sign_in(ui_server.issue_token(role))
        assert [link.text for link in page.find_all("#nav a")] == nav
        page.wait_for(".application-link")
        assert page.find_all("#new-application") == []
        page.go(f"#/applications/{app['id']}")
        page.wait_for(".configuration-link")
        assert page.find_all("#new-configuration, #delete-application") == []
        page.go(f"#/configurations/{config['id']}")
        page.wait_for_text("#current-version", "v2")
        page.wait_for("#timeline .event")
        assert page.find_all("#edit, #delete, #restore, .revert, #editor, textarea") == []
        buttons = [b.text for b in page.find_all("main button") if b.is_displayed()]
        assert buttons == ["Show diff", "Diff v1 → v2", "Show as of"]
        page.go("#/activity")
        page.wait_for("#activity-list .event")
        assert page.find_all('#activity-list a[href="#/tokens"]') == []  # a view they may not open
        if role == "auditor":  # who sees token events: named, not linked
            page.find("#activity-entity-type").send_keys("Tokens")
            page.find("#activity-filters button[type=submit]").click()
            page.wait_for("#activity-list .event .entity-name")
            assert page.find_all('#activity-list a[href="#/tokens"]') == []
        page.go("#/tokens")
        page.wait_for_text("main", "may not open this view")


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["1280px", "390px"])
def test_the_page_fits_the_width_and_shows_its_controls(page, api, ui_server, size, tmp_path):
    app = api.application(f"layout-{size[0]}-" + "a-rather-long-application-name" * 3)
    config = api.configuration(app["id"], "wide-values", {"long": "x" * 400, "nested": {"deep": {"deeper": list(range(30))}}})
    api.update(config["id"], "wide-values", {"long": "y" * 400, "nested": {"deep": {"deeper": list(range(31))}}})
    set_viewport(page.driver, *size)
    page.sign_in(ui_server.issue_token("admin"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v2")
    page.wait_for(".side-by-side")
    for route, controls in [
        (f"#/configurations/{config['id']}", ["#edit", "#compare-from", "#as-of-input", ".revert", "#sign-out", "#nav a"]),
        ("#/applications", ["#application-filter", ".application-link", "#new-application-name"]),
        ("#/activity", ["#activity-application", "#activity-actor", "#activity-entity-type"]),
        ("#/tokens", ["#token-name", "#token-role", ".revoke"]),
        ("#/integrity", ["#verify", "#checkpoint-input"]),
    ]:
        page.go(route)
        for css in controls:
            page.wait_for(css)
        fits = page.driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert fits[0] <= fits[1], (route, fits)
    page.go(f"#/configurations/{config['id']}")
    page.wait_for(".side-by-side")
    screenshot(page.driver, tmp_path, f"configuration-{size[0]}")


def test_every_control_is_labelled_and_reachable_with_the_keyboard(page, api, ui_server):
    app = api.application("keyboard")
    config = api.configuration(app["id"], "tabbed", {"a": 1})
    api.update(config["id"], "tabbed", {"a": 2})
    page.sign_in(ui_server.issue_token("admin"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v2")
    page.find("#edit").click()
    page.wait_for("#edit-config")
    page.wait_for('.revert[data-version="1"]').click()
    page.wait_for("#revert-place .confirm")
    for route, ready in [(None, "#revert-place .confirm"), ("#/applications", "#new-application-name"),
                         ("#/activity", "#activity-list .event"), ("#/tokens", ".revoke"), ("#/integrity", "#verify")]:
        if route:
            page.go(route)
        page.wait_for(ready)
        controls = page.driver.execute_script(CONTROLS)
        assert [(c.get_attribute("outerHTML")[:80], problem) for c, problem in controls if problem] == [], route
        reached = tab_through(page, [c for c, _ in controls])
        missing = [c.get_attribute("outerHTML")[:80] for c, _ in controls if c not in reached]
        assert missing == [], route


def test_focus_is_visible(page, ui_server):
    page.sign_in(ui_server.issue_token("reader"))
    page.driver.find_element("css selector", "body").click()
    ActionChains(page.driver).send_keys(Keys.TAB).perform()
    ActionChains(page.driver).send_keys(Keys.TAB).perform()
    style = page.driver.execute_script(
        "const s = getComputedStyle(document.activeElement); return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]")
    assert style[0] == "A" and style[1] != "none" and style[2] != "0px"


def test_the_skip_link_moves_to_the_content_and_keeps_the_view(page, api, ui_server):
    app = api.application("skipping")
    page.sign_in(ui_server.issue_token("reader"), f"#/applications/{app['id']}")
    page.wait_for_text(".view-title", "skipping")
    first = page.driver.execute_script(
        "return [...document.querySelectorAll('a[href], button, input, select, textarea')].find(el => el.tabIndex >= 0)")
    assert first.get_attribute("class") == "skip-link"  # the first stop of the Tab key
    page.driver.execute_script("arguments[0].focus()", first)
    ActionChains(page.driver).send_keys(Keys.ENTER).perform()
    page.wait().until(lambda d: d.switch_to.active_element.get_attribute("id") == "main")
    assert page.driver.execute_script("return location.hash") == f"#/applications/{app['id']}"

    # Any other anchor in the address is no view: the view stays (once the page has routed it).
    page.driver.execute_async_script(ANCHOR, "#main")
    assert "Not found" not in page.find("main").text and page.find(".view-title").text == "skipping"
    page.driver.refresh()  # opened on such an address: the default view
    page.wait_for(".application-link")
    assert page.driver.execute_script("return location.hash") == "#/applications"


# Sets the address's fragment and answers once the page's own hashchange handler has run.
ANCHOR = """
const [hash, done] = arguments;
window.addEventListener('hashchange', () => setTimeout(done, 0), { once: true });
location.hash = hash;
"""


def tab_through(page, controls: list) -> list:
    """Press Tab from the page's first link until every control had the focus (or far more
    presses than controls: a date field takes one per part); the elements focused, in order."""
    page.driver.execute_script("document.querySelector('.skip-link').focus()")
    reached = [page.driver.switch_to.active_element]
    chain = ActionChains(page.driver)
    for _ in range(3 * len(controls) + 20):
        if all(control in reached for control in controls):
            break
        chain.send_keys(Keys.TAB).perform()
        reached.append(page.driver.switch_to.active_element)
    return reached
