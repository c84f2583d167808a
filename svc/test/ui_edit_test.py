"""Changing a configuration from the page (headless Chromium, the real service): a save
that loses a race shows the 412 and keeps the edit; invalid JSON never leaves the page;
revert after a confirmation; delete and restore."""

from test.browser import api, browser, page, screenshot, ui_server  # noqa: F401 (fixtures)


def open_configuration(page, ui_server, config_id: str, version: int) -> None:
    page.sign_in(ui_server.issue_token("writer", name="editor"), f"#/configurations/{config_id}")
    page.wait_for_text("#current-version", f"v{version}")


def side_rows(page, where: str) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in page.driver.execute_script("""
        return [...document.querySelectorAll(arguments[0] + ' .side-by-side tbody tr')].map(tr => {
          const code = tr.querySelectorAll('td.code');
          return [tr.className.replace('row-', ''), code[0].textContent.trim(), code[1].textContent.trim()];
        });""", where)]


def value(page, css: str) -> str:
    return page.find(css).get_property("value")


def test_a_save_that_lost_a_race_shows_the_412_and_nothing_is_lost(page, api, ui_server, tmp_path):
    app = api.application("race")
    config = api.configuration(app["id"], "limits", {"level": 1, "items": {"a": 1}})
    open_configuration(page, ui_server, config["id"], 1)
    page.find("#edit").click()
    draft = '{"level": 1, "items": {"a": 1, "mine": true}}'
    page.set_value("#edit-config", draft)

    api.update(config["id"], "limits", {"level": 2, "items": {"a": 1}})  # another client wins
    page.wait_for_text("#current-version", "v2")  # the live view moved on ...
    assert value(page, "#edit-config") == draft  # ... and left the edit alone
    page.find("#save").click()

    page.wait_for_text("#conflict", "412")
    assert ("changed", '"level": 1', '"level": 2') in side_rows(page, "#conflict")
    assert value(page, "#edit-config") == draft
    assert len(api.history(config["id"])) == 2  # nothing written
    screenshot(page.driver, tmp_path, "conflict")

    page.find("#start-again").click()
    page.wait_for_text("#edit-base", '"v2"')
    assert '"level": 2' in value(page, "#edit-config")
    assert value(page, "#your-edit") == draft  # still there to re-apply
    page.set_value("#edit-config", '{"level": 2, "items": {"a": 1, "mine": true}}')
    page.find("#save").click()
    page.wait_for_text("#current-version", "v3")
    assert api.call("GET", f"/configurations/{config['id']}").json()["config"] == {"level": 2, "items": {"a": 1, "mine": True}}
    assert page.find_all("#editor") == []


def test_invalid_json_is_refused_before_sending_and_numbers_are_sent_as_typed(page, api, ui_server):
    app = api.application("typing")
    config = api.configuration(app["id"], "numbers", {"n": 1})
    open_configuration(page, ui_server, config["id"], 1)
    page.find("#edit").click()
    for text, complaint in [('{"n": ', "Not valid JSON"), ("[1, 2]", "must be a JSON object"), ("null", "must be a JSON object")]:
        page.set_value("#edit-config", text)
        page.find("#save").click()
        page.wait_for_text("#edit-status", complaint)
    assert len(api.history(config["id"])) == 1

    page.set_value("#edit-name", "numbers-2")
    page.set_value("#edit-comments", "typed by hand")
    page.set_value("#edit-config", '{"price": 1.50, "big": 123456789012345678901234567890}')
    page.find("#save").click()
    page.wait_for_text("#current-version", "v2")
    stored = api.call("GET", f"/configurations/{config['id']}")
    assert '"price": 1.50' in stored.text and '"big": 123456789012345678901234567890' in stored.text
    assert (stored.json()["name"], stored.json()["comments"]) == ("numbers-2", "typed by hand")
    assert page.find("#current-name").text == "numbers-2"
    assert '"price": 1.50' in page.find("#current-config").text


def test_revert_shows_the_diff_it_will_apply_and_makes_a_new_version(page, api, ui_server):
    app = api.application("reverting")
    config = api.configuration(app["id"], "mode", {"mode": "a", "keep": True})
    api.update(config["id"], "mode", {"mode": "b", "keep": True})
    api.update(config["id"], "mode", {"mode": "c", "keep": True})
    open_configuration(page, ui_server, config["id"], 3)
    assert page.find_all('.revert[data-version="3"]') == []  # not to the current version

    page.find('.revert[data-version="1"]').click()
    page.wait_for("#revert-place .confirm-box")
    assert ("changed", '"mode": "c"', '"mode": "a"') in side_rows(page, "#revert-place")
    assert "replace /config/mode \"a\"" in page.find("#revert-place .ops-list").text
    page.find("#revert-place .cancel").click()
    assert page.find_all("#revert-place .confirm-box") == []
    assert len(api.history(config["id"])) == 3  # cancelled: nothing written

    page.find('.revert[data-version="1"]').click()
    page.wait_for("#revert-place .confirm").click()
    page.wait_for_text("#current-version", "v4")
    page.wait_for_text('#timeline .event[data-version="4"] .action', "reverted from v1")
    newest = api.history(config["id"])[0]
    assert (newest["version"], newest["action"], newest["restored_from"], newest["actor"]) == (4, "updated", 1, "editor")
    assert newest["after"]["config"] == {"mode": "a", "keep": True}


def test_delete_and_restore(page, api, ui_server):
    app = api.application("deleting")
    config = api.configuration(app["id"], "doomed", {"x": 1})
    open_configuration(page, ui_server, config["id"], 1)
    page.find("#delete").click()
    page.wait_for("#write-actions .confirm").click()
    page.wait_for("#restore")
    assert "Deleted configuration" in page.find(".view-title").text
    assert page.find_all("#edit") == []
    page.wait_for_text('#timeline .event[data-version="2"] .action', "deleted")

    page.find("#restore").click()
    page.wait_for_text("#current-version", "v3")
    assert [event["action"] for event in api.history(config["id"])] == ["restored", "deleted", "created"]
    assert page.find("#edit").is_displayed()
