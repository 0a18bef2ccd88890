"""A real registry served by gunicorn on loopback over PostgreSQL and MinIO, and Chromium."""

from __future__ import annotations

import io
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.factories import SOON
from tests.services import DATABASE_KEY, MINIO_KEYS, require_services

ROOT = Path(__file__).resolve().parents[2]
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
PASSWORD = "mat-khau-trinh-duyet"
USERS = {  # username: (role, unit)
    "tk.longxuyen": ("designer", "30307"),
    "cv.qlvh": ("reviewer", "SVHTT-QLVH"),
    "ubnd.longxuyen": ("locality", "30307"),
    "ubnd.binhduc": ("locality", "30292"),
    "quantri": ("admin", "SVHTT-VP"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


class LiveRegistry:
    """The app as users meet it: gunicorn with two workers, PostgreSQL, MinIO."""

    def __init__(self, env: dict[str, str], url: str, database_url: str):
        self.env, self.url, self.database_url = env, url, database_url

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [_bin("flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


@pytest.fixture(scope="session")
def live_registry():
    settings = require_services(DATABASE_KEY, *MINIO_KEYS)
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} not installed (apt-get install chromium; .ci/run does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    tag = secrets.token_hex(4)
    base = sa.engine.make_url(settings[DATABASE_KEY])
    database = f"registry_browser_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    database_url = base.set(database=database).render_as_string(hide_password=False)
    port = _free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_STORAGE": "minio",
        "REGISTRY_MINIO_ENDPOINT": settings["REGISTRY_TEST_MINIO_ENDPOINT"],
        "REGISTRY_MINIO_ACCESS_KEY": settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
        "REGISTRY_MINIO_SECRET_KEY": settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
        "REGISTRY_UPLOADS_BUCKET": f"browser-{tag}-uploads",
        "REGISTRY_APPROVED_BUCKET": f"browser-{tag}-approved",
        "SECRET_KEY": secrets.token_hex(16),
    }
    live = LiveRegistry(env, f"http://127.0.0.1:{port}", database_url)
    live.flask("registry", "init")
    for username, (role, unit) in USERS.items():
        live.flask(
            "registry",
            "create-user",
            username,
            "--role",
            role,
            "--unit",
            unit,
            "--password",
            PASSWORD,
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS.parent / "gunicorn.log", "w")  # noqa: SIM115 (closed in finally)
    server = subprocess.Popen(
        [_bin("gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{live.url}/login", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer; see test-artifacts/gunicorn.log")
        yield live
    finally:
        server.terminate()
        server.wait(20)
        log.close()
        _drop(admin, database)
        _remove_buckets(env)


def _drop(admin, database: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{database}" WITH (FORCE)'))
    admin.dispose()


def _remove_buckets(env: dict[str, str]) -> None:
    from minio import Minio
    from minio.deleteobjects import DeleteObject

    client = Minio(
        env["REGISTRY_MINIO_ENDPOINT"],
        env["REGISTRY_MINIO_ACCESS_KEY"],
        env["REGISTRY_MINIO_SECRET_KEY"],
        secure=False,
    )
    for bucket in (env["REGISTRY_UPLOADS_BUCKET"], env["REGISTRY_APPROVED_BUCKET"]):
        if not client.bucket_exists(bucket):
            continue
        objects = client.list_objects(bucket, recursive=True, include_version=True)
        doomed = [DeleteObject(o.object_name, o.version_id) for o in objects]
        list(client.remove_objects(bucket, doomed, bypass_governance_mode=True))
        client.remove_bucket(bucket)


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


def submitted_submission(live: LiveRegistry, title: str, artwork: bytes, spots) -> int:
    """A 100 × 50 cm pano of the Long Xuyên designer with this artwork and a placement at each
    (lat, lon), submitted for review; returns its id."""
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
    path = f"/submissions/{submission['id']}"
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
    return submission["id"]


def approve(live: LiveRegistry, submission_id: int) -> None:
    """The reviewer claims the submission, passes every item (with a comment where an
    automatic check failed) and approves it."""
    reviewer = Api(live.url, "cv.qlvh")
    path = f"/submissions/{submission_id}"
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
