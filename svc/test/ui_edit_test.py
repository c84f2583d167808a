"""Changing a configuration from the page (headless Chromium, the real service): a save
that loses a race shows the 412 and keeps the edit; invalid JSON never leaves the page;
revert after a confirmation; delete and restore."""

from test.browser import api, browser, page, screenshot, ui_server  # noqa: F401 (fixtures)


def open_configuration(page, ui_server, config_id: str, version: int) -> None:
    page.sign_in(ui_server.issue_token("writer", name="editor"), f"#/configurations/{config_id}")
    page.wait_for_text("#current-version", f"v{version}")


def value(page, css: str) -> str:
    return page.find(css).get_property("value")


def test_a_save_that_lost_a_race_shows_the_412_and_nothing_is_lost(page, api, ui_server, tmp_path):
    app = api.application("race")
    config = api.configuration(app["id"], "limits", {"level": 1, "items": {"a": 1}})
    open_configuration(page, ui_server, config["id"], 1)
    page.wait_for("#edit").click()
    draft = '{"level": 1, "items": {"a": 1, "mine": true}}'
    page.set_value("#edit-name", "limits-mine")
    page.set_value("#edit-comments", "my note")
    page.set_value("#edit-config", draft)
    mine = {"#edit-name": "limits-mine", "#edit-comments": "my note", "#edit-config": draft}

    api.update(config["id"], "limits", {"level": 2, "items": {"a": 1}})  # another client wins
    page.wait_for_text("#current-version", "v2")  # the live view moved on ...
    assert {css: value(page, css) for css in mine} == mine  # ... and left the edit alone
    page.find("#save").click()

    page.wait_for_text("#conflict", "412")
    assert ("changed", '"level": 1', '"level": 2') in page.side_rows("#conflict")
    assert {css: value(page, css) for css in mine} == mine
    assert len(api.history(config["id"])) == 2  # nothing written
    screenshot(page.driver, tmp_path, "conflict")

    page.find("#start-again").click()
    page.wait_for_text("#edit-base", '"v2"')
    # Only the config was changed meanwhile: it is the current one; name and comments, which
    # only this user changed, stay as typed; all three are kept beside the editor.
    assert '"level": 2' in value(page, "#edit-config")
    assert (value(page, "#edit-name"), value(page, "#edit-comments")) == ("limits-mine", "my note")
    assert [value(page, css) for css in ("#your-name", "#your-comments", "#your-edit")] == ["limits-mine", "my note", draft]
    assert "config" in page.find("#kept").text
    page.set_value("#edit-config", '{"level": 2, "items": {"a": 1, "mine": true}}')
    page.find("#save").click()
    page.wait_for_text("#current-version", "v3")
    stored = api.call("GET", f"/configurations/{config['id']}").json()
    assert stored["config"] == {"level": 2, "items": {"a": 1, "mine": True}}
    assert (stored["name"], stored["comments"]) == ("limits-mine", "my note")
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
    page.wait_for_count("#timeline .event", 3)
    page.wait_for('.revert[data-version="1"]')
    assert len(page.find_all('.revert[data-version="2"]')) == 1
    assert page.find_all('.revert[data-version="3"]') == []  # not to the current version

    page.find('.revert[data-version="1"]').click()
    page.wait_for("#revert-place .confirm-box")
    assert ("changed", '"mode": "c"', '"mode": "a"') in page.side_rows("#revert-place")
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
    api.update(config["id"], "doomed", {"x": 2})
    open_configuration(page, ui_server, config["id"], 2)
    page.wait_for('.revert[data-version="1"]')
    page.find("#delete").click()
    page.wait_for("#write-actions .confirm").click()
    page.wait_for("#restore")
    assert "Deleted configuration" in page.find(".view-title").text
    assert page.find_all("#edit") == []
    page.wait_for_text('#timeline .event[data-version="3"] .action', "deleted")
    assert page.find_all("#timeline .revert") == []  # restore first: a revert would be refused
    page.wait().until(lambda d: page.find('#compare-from option[value="3"]').get_property("disabled"))  # no state to diff

    page.find("#restore").click()
    page.wait_for_text("#current-version", "v4")
    assert [event["action"] for event in api.history(config["id"])] == ["restored", "deleted", "updated", "created"]
    page.wait_for("#edit")  # the view may render twice: after the restore and on its event from the feed
    page.wait_for('.revert[data-version="1"]')
    # By default the last two versions with a state: v2 (before the delete) and v4 (restored).
    page.wait_for_text("#compare-result thead", "v4")
    assert (value(page, "#compare-from"), value(page, "#compare-to")) == ("2", "4")
    assert page.find_all("#compare-result [role=alert]") == [] and page.find("#compare-result .diff-summary").text == "No differences"
