"""Chromium driving the registry served by gunicorn over PostgreSQL and MinIO (tests/live.py)."""

from __future__ import annotations

import os

import pytest

from tests.live import PASSWORD, ROOT, USERS, serve_registry

ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def live_registry():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with serve_registry("browser", USERS, log_name="gunicorn.log") as live:
        yield live


@pytest.fixture(scope="session")
def browser(live_registry):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page whose console errors and failed requests fail the journey."""

    def __init__(self, page, name: str, base_url: str):
        self.page, self.name, self.base_url = page, name, base_url
        self._problems: list[tuple[str, str]] = []  # (url, what went wrong)
        self.downloads: set[str] = set()
        page.on("download", lambda d: self.downloads.add(d.url))
        page.on("console", self._console)
        page.on("pageerror", lambda e: self._problems.append(("", f"page error: {e}")))
        page.on(
            "requestfailed",
            lambda r: self._problems.append(
                (r.url, f"request failed: {r.method} {r.url} {r.failure}")
            ),
        )
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and self._problems.append((r.url, f"HTTP {r.status}: {r.request.method} {r.url}"))
            ),
        )
        self.shots = 0

    def _console(self, message) -> None:
        if message.type == "error":
            self._problems.append(("", f"console: {message.text}"))

    @property
    def problems(self) -> list[str]:
        """What went wrong in the page; Chromium reports a download as an aborted request."""
        return [
            what
            for url, what in self._problems
            if not (url in self.downloads and what.endswith("net::ERR_ABORTED"))
        ]

    def go(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def shot(self, label: str) -> None:
        self.shots += 1
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(ARTIFACTS / f"{self.name}-{self.shots:02d}-{label}.png"), full_page=True
        )

    def sign_in(self, username: str) -> None:
        self.go("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()


@pytest.fixture
def open_page(browser, live_registry):
    contexts = []

    def make(name: str) -> Watched:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="vi-VN"
        )
        contexts.append(context)
        return Watched(context.new_page(), name, live_registry.url)

    yield make
    for context in contexts:
        context.close()
