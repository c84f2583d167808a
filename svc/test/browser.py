"""Headless Chromium for the web page's tests: a driver factory, the page's own helpers
(sign in, wait for text, reset between tests) and screenshots.

Debian's chromium and chromedriver, never Selenium Manager (no downloads); the flags keep a
browser on a closed network from reaching for updates, sync or a GPU.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from test.fixtures import TEMPLATE, admin_execute, new_database
from test.live_server import LiveServer
from config_service.db import local_postgres

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
WIDE = (1280, 900)
NARROW = (390, 844)
WAIT = 20  # seconds: generous, the machine is shared; the live test has its own 2 s bound
DOCS_IMAGES = Path(__file__).resolve().parent.parent / "docs" / "images"


def chromium(profile_dir: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_argument(f"--window-size={WIDE[0]},{WIDE[1]}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def set_viewport(driver, width: int, height: int) -> None:
    """The layout viewport itself (window size minus no chrome: headless has none)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def screenshot(driver, directory: Path, name: str, keep: bool = False) -> Path:
    """The whole page as a PNG in `directory`; also into docs/images when `keep` and
    UPDATE_SCREENSHOTS=1 (the documentation's pictures are refreshed on purpose only)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return Math.max(document.documentElement.scrollHeight, window.innerHeight)")
    set_viewport(driver, width, min(height, 4000))
    try:
        path.write_bytes(driver.get_screenshot_as_png())
    finally:
        set_viewport(driver, width, WIDE[1] if width >= WIDE[0] else NARROW[1])
    if keep and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMAGES / path.name)
    return path


class Page:
    """The page under test in one browser: navigation, sign-in and waiting for what it shows."""

    def __init__(self, driver, server: LiveServer) -> None:
        self.driver = driver
        self.server = server

    def open(self, route: str = "") -> None:
        self.driver.get(f"{self.server.url}/ui/{route}")

    def reset(self) -> None:
        """A fresh tab state: no token, wide viewport, the sign-in form."""
        set_viewport(self.driver, *WIDE)
        self.open()
        self.driver.execute_script("sessionStorage.clear(); delete window.__pwned;")
        self.open()
        self.wait_for("#token-input")

    def sign_in(self, text: str, route: str = "#/applications") -> None:
        self.driver.get(f"{self.server.url}/ui/{route}")
        field = self.wait_for("#token-input")
        field.clear()
        field.send_keys(text)
        self.find("#sign-in button[type=submit]").click()
        self.wait_for("#who-name")
        self.wait_for_text("#live", "live")

    def go(self, route: str) -> None:
        self.driver.execute_script("location.hash = arguments[0]", route)

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait(self, timeout: float = WAIT) -> WebDriverWait:
        # A view renders anew on its own events too: an element found may be replaced meanwhile.
        return WebDriverWait(self.driver, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,))

    def wait_for(self, css: str, timeout: float = WAIT):
        return self.wait(timeout).until(expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css)))

    def wait_for_text(self, css: str, text: str, timeout: float = WAIT) -> None:
        self.wait(timeout).until(expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, css), text))

    def set_value(self, css: str, text: str) -> None:
        """Replace a field's text as typing would (send_keys of long JSON is slow and
        re-indents nothing, so the value is set and an input event fired)."""
        element = self.find(css)
        self.driver.execute_script(
            "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}))",
            element, text)

    def errors_in_console(self) -> list[str]:
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def wait_for_count(self, css: str, count: int, timeout: float = WAIT) -> list:
        """The elements matching `css` once there are exactly `count` of them."""
        self.wait(timeout).until(lambda d: len(self.find_all(css)) == count)
        return self.find_all(css)

    def side_rows(self, where: str) -> list[tuple[str, str, str]]:
        """(kind, left text, right text) of each row of the side-by-side diff inside `where`."""
        return [tuple(row) for row in self.driver.execute_script("""
            return [...document.querySelectorAll(arguments[0] + ' .side-by-side tbody tr')].map(tr => {
              const code = tr.querySelectorAll('td.code');
              return [tr.className.replace('row-', ''), code[0].textContent.trim(), code[1].textContent.trim()];
            });""", where)]


class Api:
    """The REST API as another client (not the page) uses it, to arrange what the page shows."""

    def __init__(self, server: LiveServer, headers: dict | None = None) -> None:
        self.client = httpx.Client(base_url=server.url + "/api/v1", headers=headers or server.headers, timeout=30)

    def __enter__(self) -> "Api":
        return self

    def __exit__(self, *exc_info) -> None:
        self.client.close()

    def call(self, method: str, path: str, expect: int = 200, **kwargs) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code == expect, response.text
        return response

    def application(self, name: str, **fields) -> dict:
        return self.call("POST", "/applications", 201, json={"name": name, **fields}).json()

    def configuration(self, application_id: str, name: str, config: dict, **fields) -> dict:
        body = {"application_id": application_id, "name": name, "config": config, **fields}
        return self.call("POST", "/configurations", 201, json=body).json()

    def configuration_text(self, application_id: str, name: str, config_text: str) -> dict:
        """A configuration whose config is sent as written (1.50 stays 1.50)."""
        body = f'{{"application_id": "{application_id}", "name": "{name}", "config": {config_text}}}'
        return self.call("POST", "/configurations", 201, content=body, headers={"Content-Type": "application/json"}).json()

    def update(self, config_id: str, name: str, config: dict, **kwargs) -> httpx.Response:
        return self.call("PUT", f"/configurations/{config_id}", json={"name": name, "config": config}, **kwargs)

    def history(self, config_id: str) -> list[dict]:
        return self.call("GET", f"/configurations/{config_id}/history?limit=1000").json()["items"]


@pytest.fixture(scope="session")
def browser():
    profile = tempfile.mkdtemp(prefix="ui-chromium-")
    driver = chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def served_database(admin_url):
    """The real service on a new migrated database."""
    name = new_database(admin_url, TEMPLATE)
    url = local_postgres.with_database(admin_url, name)
    try:
        with LiveServer(url, sse_keepalive_seconds="5") as live:
            live.database_url = url  # the owner's connection, for arranging rows and checkpoints
            yield live
    finally:
        admin_execute(admin_url, f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def ui_server(admin_url, template_url):
    """The real service on a migrated database of this module's own (tests in a module share it)."""
    with served_database(admin_url) as live:
        yield live


@pytest.fixture
def own_server(admin_url, template_url):
    """The real service on a database of this test's own: for a test that damages the log,
    so that no other test sees the damage, whatever the order they run in."""
    with served_database(admin_url) as live:
        yield live


@pytest.fixture
def api(ui_server):
    """Another client of the service (a writer that may name actors)."""
    with Api(ui_server) as client:
        yield client


@pytest.fixture
def page(browser, ui_server):
    page = Page(browser, ui_server)
    page.reset()
    yield page
    browser.get("about:blank")  # the page stops its event stream as it goes


@pytest.fixture
def own_page(browser, own_server):
    """The page, on `own_server`."""
    page = Page(browser, own_server)
    page.reset()
    yield page
    browser.get("about:blank")
