"""Chromium driving the registry served by gunicorn over PostgreSQL and MinIO (tests/live.py)."""

from __future__ import annotations

import io
import json
import os
import time
import urllib.request
from datetime import timedelta

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import SOON
from tests.live import PASSWORD, ROOT, USERS, LiveRegistry, serve_registry

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
        """What went wrong in the page. Chromium reports as aborted a download and a GET it
        cancels because the page moves on (the favicon of a page left at once): neither is an
        error of the registry, whose failures show as HTTP statuses and console errors."""
        return [
            what
            for url, what in self._problems
            if not (
                what.endswith("net::ERR_ABORTED")
                and (url in self.downloads or what.startswith("request failed: GET "))
            )
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


class Api:
    """The registry's JSON API as another system calls it: what a journey needs done before
    its user arrives is done here, so that every journey runs alone."""

    def __init__(self, base_url: str, username: str):
        self.base_url = base_url
        token = self.call("POST", "/auth/token", {"username": username, "password": PASSWORD})
        self.headers = {"Authorization": f"Bearer {token['token']}"}

    def call(self, method: str, path: str, body=None, *, files: dict | None = None):
        headers = dict(getattr(self, "headers", {}))
        data = None
        if files is not None:
            fields = {
                name: FileStorage(io.BytesIO(b), filename=n) for name, (b, n) in files.items()
            }
            boundary, data = encode_multipart(fields)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            f"{self.base_url}/api/v1{path}", data=data, headers=headers, method=method
        )
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (loopback)
            text = response.read()
        return json.loads(text) if text else None


def draft_submission(live: LiveRegistry, title: str) -> int:
    """A draft 100 × 50 cm pano of the Long Xuyên designer, with one slogan; returns its id."""
    designer = Api(live.url, "tk.longxuyen")
    campaign = next(c for c in designer.call("GET", "/campaigns") if c["code"] == "KL288-2026")
    submission = designer.call(
        "POST",
        "/submissions",
        {
            "campaign_id": campaign["id"],
            "title": title,
            "format": "pano",
            "width_cm": 100,
            "height_cm": 50,
            "slogan_ids": [campaign["slogans"][2]["id"]],
        },
    )
    return submission["id"]


def submitted_submission(live: LiveRegistry, title: str, artwork: bytes, spots) -> int:
    """A 100 × 50 cm pano of the Long Xuyên designer with this artwork and a placement at each
    (lat, lon), submitted for review; returns its id."""
    designer = Api(live.url, "tk.longxuyen")
    submission_id = draft_submission(live, title)
    path = f"/submissions/{submission_id}"
    designer.call("POST", f"{path}/versions", files={"file": (artwork, "pano-v1.png")})
    for number, (lat, lon) in enumerate(spots, start=1):
        designer.call(
            "POST",
            f"{path}/placements",
            {
                "unit_code": "30307",
                "address": f"Điểm {number}, {title}",
                "lat": lat,
                "lon": lon,
                "site_type": "administrative_center",
                "quantity": 2,
                "display_from": SOON.isoformat(),
                "display_to": (SOON + timedelta(days=20)).isoformat(),
            },
        )
    designer.call("POST", f"{path}/transitions", {"action": "submit"})
    return submission_id


def wait_for_previews(api: Api, path: str, seconds: float = 60) -> None:
    """Until the worker has made the previews of every version of the submission."""
    deadline = time.monotonic() + seconds
    while True:
        states = {v["renditions_state"] for v in api.call("GET", path)["versions"]}
        if states <= {"ready"}:
            return
        assert "failed" not in states and time.monotonic() < deadline, states
        time.sleep(0.3)


def approve(live: LiveRegistry, submission_id: int) -> None:
    """The reviewer claims the submission, passes every item (with a comment where an
    automatic check failed) and approves it."""
    reviewer = Api(live.url, "cv.qlvh")
    path = f"/submissions/{submission_id}"
    wait_for_previews(reviewer, path)  # a decision waits for the worker's previews
    reviewer.call("POST", f"{path}/transitions", {"action": "claim"})
    answers = [
        {
            "item": a["item"],
            "result": "pass",
            "comment": "" if a["automatic_result"] in (None, "pass") else "Đã xem xét.",
        }
        for a in reviewer.call("GET", f"{path}/review")["answers"]
    ]
    reviewer.call("PUT", f"{path}/review/answers", answers)
    reviewer.call("POST", f"{path}/transitions", {"action": "approve", "comment": "Đạt."})


def save_checklist(page) -> None:
    """Press "Lưu đánh giá" (Save assessment) once the answers' own background saves have
    finished.

    The button sends every answer anyway; pressed while a background save is on its way, the
    page's navigation cancels that request, which the watcher would count as a failure.
    """
    from playwright.sync_api import expect

    busy = ".check-item[data-save-state=saving], .check-item[data-save-state=dirty]"
    expect(page.locator(busy)).to_have_count(0)  # no eval: the page's CSP forbids it
    page.locator("button.save-all").click()  # in either language
    page.wait_for_load_state()
