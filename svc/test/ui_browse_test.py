"""The web page in headless Chromium against the real service: signing in and out, the
timeline, side-by-side diffs (large ones too), as-of, the activity feed newest first; and
the static files' headers (plain HTTP)."""

import re

import httpx

from test.browser import api, browser, page, screenshot, ui_server  # noqa: F401 (fixtures)

NESTED_V1 = '{"database": {"pool": {"min": 1, "max": 10}, "hosts": ["a", "b"]}, "timeout": 1.50}'
NESTED_V2 = '{"database": {"pool": {"min": 1, "max": 20}, "hosts": ["a", "b"]}, "timeout": 1.50, "retries": 3}'
NESTED_V3 = '{"database": {"pool": {"min": 2, "max": 20}, "hosts": ["a", "c"]}, "timeout": 1.50, "retries": 3}'
BODY = '{{"name": "database", "config": {config}}}'


def test_the_page_has_a_strict_policy_and_its_files_answer_304(ui_server):
    redirect = httpx.get(ui_server.url + "/ui")
    assert redirect.status_code == 308 and redirect.headers["location"] == "/ui/"
    for path in ["/ui/", "/ui/app.js", "/ui/style.css", "/ui/views/configuration.js"]:
        first = httpx.get(ui_server.url + path)
        assert first.status_code == 200, path
        policy = first.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert first.headers["cache-control"] == "no-cache"
        again = httpx.get(ui_server.url + path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", path
    html = httpx.get(ui_server.url + "/ui/").text
    assert "<script>" not in html and "style=" not in html and "<style" not in html
    assert re.findall(r"(?:src|href)=\"(https?:)?//", html) == []  # nothing from another origin


def test_signing_in_shows_who_keeps_the_token_out_of_urls_and_signing_out_clears_it(page, ui_server):
    text = ui_server.issue_token("writer", name="alice")
    page.find("#token-input").send_keys("cfgs_not_a_real_token")
    page.find("#sign-in button[type=submit]").click()
    page.wait_for_text("#sign-in [role=alert]", "not accepted")
    assert page.driver.execute_script("return sessionStorage.length") == 0

    page.sign_in(text)
    assert page.find("#who-name").text == "alice" and page.find("#who-role").text == "(writer)"
    assert page.driver.execute_script("return Object.values(sessionStorage)") == [text]
    page.go("#/activity")
    page.wait_for("#activity-filters")
    page.driver.refresh()  # the tab keeps its session
    page.wait_for_text("#who-name", "alice")
    urls = page.driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any("/api/v1/" in url for url in urls)
    assert [url for url in urls + [page.driver.current_url] if text in url or "cfgs_" in url] == []

    page.find("#sign-out").click()
    page.wait_for("#token-input")
    assert page.driver.execute_script("return sessionStorage.length") == 0
    assert page.find("#who").text == "" and not page.find("#sign-out").is_displayed()
    page.driver.refresh()
    page.wait_for("#token-input")  # still signed out


def test_timeline_newest_first_and_side_by_side_diffs_of_nested_changes(page, api, ui_server, tmp_path):
    app = api.application("billing")
    config = api.configuration_text(app["id"], "database", NESTED_V1)
    as_json = {"Content-Type": "application/json"}
    path = f"/configurations/{config['id']}"
    api.call("PUT", path, content=BODY.format(config=NESTED_V2), headers={**as_json, "X-Actor": "bob"})
    api.call("PUT", path, content=BODY.format(config=NESTED_V3), headers={**as_json, "X-Actor": "carol", "X-Request-ID": "req-carol-1"})
    events = {event["version"]: event for event in api.history(config["id"])}
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")

    page.wait_for_text("#current-version", "v3")
    assert page.find("#current-etag").text == '"v3"'
    assert '"max": 20' in page.find("#current-config").text and '"timeout": 1.50' in page.find("#current-config").text
    rows = page.wait_for_count("#timeline .event", 3)
    assert [row.get_attribute("data-version") for row in rows] == ["3", "2", "1"]
    newest = rows[0]
    assert newest.find_element("css selector", ".action").text == "updated"
    assert newest.find_element("css selector", ".actor").text == "carol"
    assert newest.find_element("css selector", ".request-id").text == "req-carol-1"
    assert newest.find_element("css selector", ".changed-fields").text == "config"
    assert events[3]["occurred_at"].replace("T", " ").replace("Z", "") in newest.text  # UTC, beside local time
    assert rows[2].find_element("css selector", ".action").text == "created"

    # By default the newest version against the one before it.
    page.wait_for(".side-by-side")
    assert page.find("#compare-from").get_attribute("value") == "2" and page.find("#compare-to").get_attribute("value") == "3"
    changed = pairs(page)
    assert ('"min": 1', '"min": 2') in changed
    assert ('"b"', '"c"') in changed  # inside the array: the same line, side by side
    assert ops(page) == ['replace /config/database/hosts ["a", "c"]', "replace /config/database/pool/min 2"]
    screenshot(page.driver, tmp_path, "configuration", keep=True)

    page.find('.diff-previous[data-version="2"]').click()
    page.wait_for_text("#compare-result thead", "v1")
    assert pairs(page) == [('"max": 10,', '"max": 20,')]
    added = [row for row in page.side_rows("#compare-result") if row[0] == "added"]
    assert added == [("added", "", '"retries": 3,')]
    assert ops(page) == ["replace /config/database/pool/max 20", "add /config/retries 3"]
    assert all(left == right for kind, left, right in page.side_rows("#compare-result") if kind == "same")  # aligned line by line
    screenshot(page.driver, tmp_path, "diff", keep=True)


def test_a_long_timeline_is_paged(page, api, ui_server):
    app = api.application("paged")
    config = api.configuration(app["id"], "many", {"n": 0})
    for n in range(1, 25):
        api.update(config["id"], "many", {"n": n})
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v25")
    page.wait().until(lambda d: len(page.find_all("#timeline .event")) == 20)
    older = page.find("#timeline-older")
    page.driver.execute_script("arguments[0].click(); arguments[0].click()", older)  # a double click loads one page
    page.wait().until(lambda d: len(page.find_all("#timeline .event")) == 25)
    versions = [int(row.get_attribute("data-version")) for row in page.find_all("#timeline .event")]
    assert versions == list(range(25, 0, -1))
    assert not page.find("#timeline-older").is_displayed()


def test_as_of_shows_the_configuration_at_an_instant(page, api, ui_server):
    app = api.application("as-of")
    config = api.configuration(app["id"], "clock", {"phase": "first"})
    api.update(config["id"], "clock", {"phase": "second"})
    first, second = sorted(api.history(config["id"]), key=lambda event: event["version"])
    page.sign_in(ui_server.issue_token("reader"), f"#/configurations/{config['id']}")
    page.wait_for_text("#current-version", "v2")

    # An instant between the two versions, typed as the browser's local time.
    between = page.driver.execute_script(LOCAL_INPUT, first["occurred_at"], second["occurred_at"])
    page.set_value("#as-of-input", between)
    page.find("#as-of button[type=submit]").click()
    page.wait_for_text("#as-of-result", '"phase": "first"')
    assert '"phase": "second"' not in page.find("#as-of-result").text

    page.set_value("#as-of-input", "2001-01-01T00:00:00")
    page.find("#as-of button[type=submit]").click()
    page.wait_for_text("#as-of-result", "did not exist yet")


# The midpoint of two RFC 3339 instants, as a datetime-local value in the browser's time zone.
LOCAL_INPUT = """
const middle = new Date((Date.parse(arguments[0]) + Date.parse(arguments[1])) / 2);
const pad = (n, width = 2) => String(n).padStart(width, '0');
return `${middle.getFullYear()}-${pad(middle.getMonth() + 1)}-${pad(middle.getDate())}T${pad(middle.getHours())}:` +
  `${pad(middle.getMinutes())}:${pad(middle.getSeconds())}.${pad(middle.getMilliseconds(), 3)}`;
"""


def pairs(page) -> list[tuple[str, str]]:
    return [(left, right) for kind, left, right in page.side_rows("#compare-result") if kind == "changed"]


def ops(page) -> list[str]:
    return page.driver.execute_script(
        "return [...document.querySelectorAll('#compare-result .ops-list li')].map(li => li.textContent)")


def feed_seqs(api) -> list[int]:
    """Every event's seq, in feed order, as another client reads the feed to its end."""
    seqs, after = [], None
    while True:
        page = api.call("GET", "/events", params={"limit": 1000, **({"after": after} if after else {})}).json()
        seqs += [event["seq"] for event in page["items"]]
        after = page["next"]
        if len(page["items"]) < 1000:
            return seqs


def shown_seqs(page) -> list[int]:
    return page.driver.execute_script(
        "return [...document.querySelectorAll('#activity-list .event')].map(li => Number(li.dataset.seq))")


def test_activity_opens_on_the_newest_events_and_adds_new_ones_on_top(page, api, ui_server):
    app = api.application("busy")
    config = api.configuration(app["id"], "fed", {"n": 0})
    for n in range(1, 4):
        api.update(config["id"], "fed", {"n": n}, headers={"X-Actor": f"before-{n}"})
    page.sign_in(ui_server.issue_token("reader"), "#/activity")
    before = feed_seqs(api)
    page.wait().until(lambda d: shown_seqs(page)[:1] == [before[-1]])
    assert shown_seqs(page) == before[::-1][:100]  # newest first, the newest 100
    assert page.find("#activity-list .event .actor").text == "before-3"

    for n in range(4, 10):  # in a burst: the page is still reading when the next one is announced
        api.update(config["id"], "fed", {"n": n}, headers={"X-Actor": f"live-{n}"})
    after = feed_seqs(api)
    page.wait().until(lambda d: shown_seqs(page)[:1] == [after[-1]])
    shown = shown_seqs(page)
    assert len(shown) == len(set(shown))  # never a row twice
    assert shown[:7] == after[::-1][:7]
    assert page.find("#activity-list .event .actor").text == "live-9"


# The page's own diff module, run in the page on two texts: the rows by kind, whether
# approximate, the milliseconds it took, and the note sideBySide shows with them.
LARGE_DIFF = """
const [left, right, done] = arguments;
const module = (name) => import(`${location.origin}/ui/${name}`);
Promise.all([module('diff.js'), module('diff_view.js')]).then(([{ diffLines }, { sideBySide }]) => {
  const started = performance.now();
  const { rows, approximate } = diffLines(left, right);
  const took = performance.now() - started;
  const kinds = {};
  for (const row of rows) kinds[row.kind] = (kinds[row.kind] || 0) + 1;
  const note = sideBySide('a', left, 'b', right).querySelector('.diff-approximate');
  done({ kinds, approximate, took, rows: rows.length, note: note && note.textContent });
}, (error) => done({ error: String(error) }));
"""


def test_a_large_diff_costs_little_and_a_huge_one_says_it_is_approximate(page):
    """20 000 lines with one changed: the common lines set aside, an exact diff at once.
    3 000 lines, every other one different (9 million table cells even after setting aside
    the common last line): paired by position, with a note saying so."""
    lines = [f'  "key-{i}": {i},' for i in range(20000)]
    changed = lines[:10000] + ['  "key-10000": -1,'] + lines[10001:]
    small = page.driver.execute_async_script(LARGE_DIFF, "\n".join(lines), "\n".join(changed))
    assert small.get("error") is None, small
    assert small["kinds"] == {"same": 19999, "changed": 1} and small["approximate"] is False and small["note"] is None
    assert small["took"] < 1000, small

    left = "\n".join(f"left {i}" for i in range(3000))
    right = "\n".join(f"left {i}" if i % 2 else f"right {i}" for i in range(3000))
    huge = page.driver.execute_async_script(LARGE_DIFF, left, right)
    assert huge.get("error") is None, huge
    assert huge["approximate"] is True and huge["rows"] == 3000
    assert huge["kinds"] == {"same": 1500, "changed": 1500}  # line k beside line k
    assert "Approximate" in huge["note"] and "exact" in huge["note"]
