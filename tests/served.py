"""The test app's own database and store, served by a real gunicorn on loopback.

The Werkzeug test client never encodes headers the way a real server must; gunicorn refuses a
header that is not Latin-1 (a 500 with an empty body), so downloads are fetched through it.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from json import dumps, loads
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "test-artifacts" / "gunicorn-served.log"
_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(config) -> dict[str, str]:
    """The settings of the test app, as the environment gunicorn's app reads them from."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")}
    env.update(
        REGISTRY_DATABASE_URL=config["SQLALCHEMY_DATABASE_URI"],
        REGISTRY_STORAGE=config["REGISTRY_STORAGE"],
        REGISTRY_UPLOADS_BUCKET=config["REGISTRY_UPLOADS_BUCKET"],
        REGISTRY_APPROVED_BUCKET=config["REGISTRY_APPROVED_BUCKET"],
        SECRET_KEY=config["SECRET_KEY"],
    )
    if config["REGISTRY_STORAGE"] == "local":
        env["REGISTRY_LOCAL_STORAGE_PATH"] = config["REGISTRY_LOCAL_STORAGE_PATH"]
    else:
        for key in ("ENDPOINT", "ACCESS_KEY", "SECRET_KEY"):
            env[f"REGISTRY_MINIO_{key}"] = config[f"REGISTRY_MINIO_{key}"]
    return env


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Served:
    """gunicorn serving the test app's database and store; fetches as a browser would."""

    def __init__(self, config) -> None:
        LOG.parent.mkdir(parents=True, exist_ok=True)
        self.url = f"http://127.0.0.1:{_free_port()}"
        self._log = open(LOG, "a")  # noqa: SIM115 (closed in stop)
        self._process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                *("-w", "1", "-b", self.url.removeprefix("http://"), "wsgi:app"),
            ],
            cwd=ROOT,
            env=_environment(config),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=2).close()
                return
            except OSError:
                if self._process.poll() is not None:
                    break
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer; see {LOG}")

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            self._process.wait(20)
        self._log.close()

    def browser(self) -> Browser:
        """A new cookie jar: one signed-in person."""
        return Browser(self.url)


class Browser:
    """Fetches pages of the served app with its own cookies; redirects are not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def fetch(self, url: str, data: dict | None = None, headers: dict | None = None, *, json=None):
        """GET (or POST a form or JSON) and return (status, headers, body); errors too."""
        headers = dict(headers or {})
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        if json is not None:
            body = dumps(json).encode()
            headers["Content-Type"] = "application/json"
        absolute = url if url.startswith("http") else self.base + url
        request = urllib.request.Request(absolute, data=body, headers=headers)
        try:
            with self._opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers, error.read()

    def csrf_token(self, path: str) -> str:
        _, _, html = self.fetch(path)
        match = _CSRF_RE.search(html.decode())
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def sign_in(self, username: str, password: str) -> None:
        token = self.csrf_token("/login")
        status, _, body = self.fetch(
            "/login", {"username": username, "password": password, "csrf_token": token}
        )
        assert status == 302, body[:500]

    def api_token(self, username: str, password: str) -> dict[str, str]:
        """The Authorization header of a fresh API token."""
        status, _, body = self.fetch(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        assert status == 200, body[:500]
        return {"Authorization": f"Bearer {loads(body)['token']}"}
