"""Browser fixtures: one headless Chromium per test module (Debian's ``chromium`` and
``chromium-driver``), pytest-django's ``live_server``, axe-core served from ``vendor/``, and
screenshots (``tests/artifacts/`` when a test fails; ``docs/screenshots/`` with
``SCREENSHOTS=1``).

The live server runs in a thread of the test process: data made here is visible to it
(``transactional_db``), and ``django.core.mail.outbox`` collects the emails it sends.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.test import Client

BROWSER_DIR = Path(__file__).resolve().parent
ROOT = BROWSER_DIR.parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS_SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_SOURCE = BROWSER_DIR / "vendor" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
DESKTOP = (1280, 1000)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The screenshots the README shows (written with SCREENSHOTS=1); the others go to the
# artifacts of a failed test only.
DOCS_PAGES = {
    "applicant-dashboard",
    "antrag-form",
    "queue",
    "decision",
    "case",
    "agreement",
    "log-form-refused",
    "feedback-form",
    "reports-dashboard",
    "mobile-applicant-dashboard",
    "mobile-log-form",
}


def pytest_collection_modifyitems(items):
    """Everything in this folder drives the browser: mark it so ``-m browser`` selects it."""
    for item in items:
        if BROWSER_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --- the browser ------------------------------------------------------------------------


def _chrome(download_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Chromium is missing: apt-get install chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--disable-extensions",
        "--disable-default-apps",
        "--hide-scrollbars",
        # Bootstrap scrolls smoothly otherwise, and a click lands where the element was.
        "--force-prefers-reduced-motion",
        "--lang=de-DE",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        f"--user-data-dir={download_dir.parent / 'profile'}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(download_dir),
            "download.prompt_for_download": False,
            "plugins.always_open_pdf_externally": True,
            "intl.accept_languages": "de-DE,de",
        },
    )
    # German locale for date fields and number formats — effective where Debian's
    # chromium-l10n is installed; the tests do not depend on it.
    env = {**os.environ, "LANGUAGE": "de", "LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8"}
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER, env=env), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    # Downloads in the new headless mode need an explicit behaviour.
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(download_dir), "eventsEnabled": True},
    )
    return driver


@pytest.fixture(scope="module")
def browser_tmp() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="portal-browser-"))
    (path / "downloads").mkdir()
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def driver(browser_tmp):
    """One Chromium for the whole module (starting one costs about a second)."""
    chrome = _chrome(browser_tmp / "downloads")
    yield chrome
    chrome.quit()


@pytest.fixture
def reference_data(transactional_db):
    """Programmes, periods, topics, languages and agreement texts, as the data migrations
    create them — a transactional test flushes the tables, so they are put back here."""
    from agreements.models import AgreementTextBlock
    from agreements.texts import default_blocks
    from portal.models import Programme
    from portal.seed_data import seed_reference_data

    seed_reference_data(django_apps)
    for programme in Programme.objects.all():
        for key, title, body, order in default_blocks(programme.kind):
            AgreementTextBlock.objects.get_or_create(
                programme=programme,
                key=key,
                defaults={"title": title, "body": body, "order": order},
            )
    return {p.slug: p for p in Programme.objects.all()}


class Browser:
    """Small helpers around the Selenium driver, bound to the live server."""

    def __init__(self, driver, live_server, download_dir: Path, shots: Shots):
        self.driver = driver
        self.base = live_server.url
        self.download_dir = download_dir
        self.shots = shots

    # navigation
    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str) -> None:
        self.driver.get(self.url(path))

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.base)

    def find(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str = "main") -> str:
        return self.find(css).text

    def wait(self, condition: Callable[[], object], timeout: float = 10, message: str = ""):
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = condition()
            except Exception:  # the page may be between loads
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(message or "timed out waiting for the page")
            time.sleep(0.1)

    def wait_for_path(self, prefix: str, timeout: float = 15) -> None:
        self.wait(
            lambda: self.path.startswith(prefix),
            timeout,
            f"expected a page under {prefix}, got {self.path}",
        )

    def submit(self, css: str) -> None:
        """Click a submit button and wait until the next page has loaded."""
        old = self.find("html")
        self.find(css).click()
        self.wait_for_new_page(old)

    def wait_for_new_page(self, old_html, timeout: float = 30) -> None:
        from selenium.common.exceptions import StaleElementReferenceException

        def gone():
            try:
                old_html.get_attribute("lang")
            except StaleElementReferenceException:
                return self.driver.execute_script("return document.readyState") == "complete"
            return False

        self.wait(gone, timeout, "the form did not load a new page")

    def wait_htmx_settled(self, css: str, timeout: float = 10) -> None:
        """Wait until the htmx target ``css`` has received its content and no swap is in
        flight: a swap that moves the layout under a click makes the click miss."""
        script = (
            "const t = document.querySelector(arguments[0]);"
            "return !!t && t.textContent.trim() !== ''"
            " && !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping');"
        )
        self.wait(lambda: self.driver.execute_script(script, css), timeout, "htmx did not settle")

    def fill(self, css: str, value: str) -> None:
        field = self.find(css)
        field.clear()
        field.send_keys(value)

    def set_date(self, css: str, iso: str) -> None:
        """``<input type=date>`` ignores typed ISO text in Chromium's German locale; set it."""
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
            self.find(css),
            iso,
        )

    def check(self, css: str, on: bool = True) -> None:
        box = self.find(css)
        if box.is_selected() != on:
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
            box.click()

    def select(self, css: str, *, text: str | None = None, value: str | None = None) -> None:
        from selenium.webdriver.support.select import Select

        choice = Select(self.find(css))
        if text is not None:
            choice.select_by_visible_text(text)
        else:
            choice.select_by_value(value)

    # users
    def login_form(self, email: str, password: str) -> None:
        """Log in through the real login page."""
        self.driver.delete_all_cookies()
        self.get("/konto/anmelden/")
        self.fill("#id_username", email)
        self.fill("#id_password", password)
        self.submit("main form [type=submit]")
        assert "/konto/anmelden/" not in self.path, self.text()

    def login(self, user) -> None:
        """Log in without the form: a session made by Django's test client, as a cookie."""
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.driver.delete_all_cookies()
        self.get("/static/css/portal.css")  # any cheap page on the host, for the cookie
        self.driver.add_cookie(
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "path": "/"}
        )

    def logout(self) -> None:
        self.driver.delete_all_cookies()

    # fetching files with the browser's session
    def fetch(self, path: str) -> tuple[bytes, dict[str, str]]:
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in self.driver.get_cookies())
        request = urllib.request.Request(self.url(path), headers={"Cookie": cookies})  # noqa: S310
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - live server
            return response.read(), dict(response.headers.items())

    def wait_for_download(self, suffix: str, timeout: float = 30) -> Path:
        def done():
            files = [p for p in self.download_dir.iterdir() if p.name.endswith(suffix)]
            partial = [p for p in self.download_dir.iterdir() if p.suffix == ".crdownload"]
            return files[0] if files and not partial else None

        return self.wait(done, timeout, f"no {suffix} file arrived in {self.download_dir}")

    # accessibility
    def axe(self, context: str = "document") -> list[dict]:
        """Run axe-core's WCAG 2.1 A/AA rules on the current page; return the violations."""
        if not self.driver.execute_script("return !!window.axe"):
            self.driver.execute_script(AXE_SOURCE.read_text(encoding="utf-8"))
        result = self.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            axe.run(CONTEXT, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
              .then(r => done(r.violations.map(v => ({
                  id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary}))
              }))))
              .catch(e => done([{id: "axe-error", help: String(e), nodes: []}]));
            """.replace("CONTEXT", context),
            WCAG_TAGS,
        )
        return result

    def assert_accessible(self, page: str) -> None:
        violations = self.axe()
        assert not violations, f"axe found violations on {page} ({self.path}):\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n"
            + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"][:8])
            for v in violations
        )

    def screenshot(self, name: str) -> None:
        self.shots.take(self.driver, name)

    def focused(self):
        return self.driver.switch_to.active_element


def full_page_png(driver, max_height: int = 1800) -> bytes:
    """The whole page (up to ``max_height`` CSS pixels), not just the visible part."""
    import base64

    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    viewport = metrics.get("cssLayoutViewport") or metrics["layoutViewport"]
    clip = {
        "x": 0,
        "y": 0,
        "width": viewport["clientWidth"],
        "height": min(max(size["height"], viewport["clientHeight"]), max_height),
        "scale": 1,
    }
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "clip": clip, "captureBeyondViewport": True}
    )
    return base64.b64decode(shot["data"])


class Shots:
    """Screenshots of the main pages: kept in memory; written to ``tests/artifacts/`` if the
    test fails, and to ``docs/screenshots/`` (once per name) when ``SCREENSHOTS=1``."""

    def __init__(self) -> None:
        self.taken: dict[str, bytes] = {}
        self.for_docs = os.environ.get("SCREENSHOTS", "") == "1"

    def take(self, driver, name: str) -> None:
        png = full_page_png(driver)
        self.taken[name] = png
        if self.for_docs and name in DOCS_PAGES:
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            (DOCS_SCREENSHOTS / f"{name}.png").write_bytes(png)

    def save_artifacts(self, driver, test_name: str) -> Path:
        folder = ARTIFACTS / test_name
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in self.taken.items():
            (folder / f"{name}.png").write_bytes(png)
        try:
            driver.save_screenshot(str(folder / "zz-failure.png"))
            (folder / "zz-failure.html").write_text(driver.page_source, encoding="utf-8")
        except Exception:  # noqa: S110 - the browser itself may be what failed
            pass
        return folder


@pytest.fixture
def browser(request, driver, live_server, browser_tmp, transactional_db, settings):
    """A logged-out browser at desktop size, bound to the live server. A failing test leaves
    its screenshots (and the page's HTML) in ``tests/artifacts/<test>/``."""
    settings.SITE_URL = live_server.url
    download_dir = browser_tmp / "downloads"
    for old in download_dir.iterdir():
        old.unlink()
    driver.set_window_size(*DESKTOP)
    shots = Shots()
    helper = Browser(driver, live_server, download_dir, shots)
    yield helper
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = shots.save_artifacts(driver, request.node.name)
        print(f"screenshots of the failed test: {folder}")
    driver.delete_all_cookies()
