"""Shared helpers: result rows, process memory, HTTP sign-in and streamed multipart bodies."""

from __future__ import annotations

import http.client
import json
import re
import statistics
import time
import urllib.parse
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MiB = 1 << 20
USER_AGENT = "registry-bench"  # the same everywhere: Flask-Login's session protection hashes it
PASSWORD = "bench-password-1"  # noqa: S105 (every bench user's password)


@dataclass
class Row:
    """One line of the results table: a figure beside its baseline and the target."""

    section: str
    what: str
    figure: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None

    def cells(self) -> list[str]:
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}"
        met = {True: "met", False: "**missed**", None: "—"}[self.met]
        return [self.section, self.what, self.figure, self.baseline, ratio, self.target, met]


def table(rows: Iterable[Row]) -> str:
    head = ["#", "measurement", "figure", "baseline", "ratio", "target", "result"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


# -- process memory ----------------------------------------------------------------------------


def status_kib(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in KiB (VmRSS, VmHWM)."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{field}:\s+(\d+) kB", text, re.M).group(1))


def reset_peak(pid: int) -> None:
    """Reset the process's peak resident size (VmHWM) to its current size (Linux >= 4.0)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


# -- HTTP --------------------------------------------------------------------------------------


def connection(base_url: str, timeout: float = 600) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def request(base_url: str, method: str, path: str, body=None, headers=None):
    """One request; returns (status, headers, body bytes)."""
    conn = connection(base_url)
    try:
        conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT} | (headers or {}))
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def api_token(base_url: str, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD})
    status, _, data = request(
        base_url, "POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"}
    )
    if status != 200:
        raise RuntimeError(f"token for {username}: {status} {data[:200]!r}")
    return json.loads(data)["token"]


def csrf_token(html: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()


def sign_in(base_url: str, username: str) -> str:
    """Sign in through the login form; return the Cookie header value of the session."""
    status, headers, html = request(base_url, "GET", "/login")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    form = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrf_token": csrf_token(html)}
    )
    status, headers, _ = request(
        base_url,
        "POST",
        "/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    if status != 302:
        raise RuntimeError(f"sign-in of {username} answered {status}")
    return headers["Set-Cookie"].split(";", 1)[0]


class Multipart:
    """A multipart/form-data body streamed from files and generators, never held in memory."""

    def __init__(self) -> None:
        self.boundary = "bench" + uuid.uuid4().hex
        self._parts: list[tuple[bytes, int, Iterable[bytes]]] = []

    def add_file(self, name: str, filename: str, size: int, chunks: Iterable[bytes]) -> None:
        head = (
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        self._parts.append((head.encode(), size, chunks))

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    @property
    def length(self) -> int:
        tail = len(f"--{self.boundary}--\r\n")
        return sum(len(h) + size + 2 for h, size, _ in self._parts) + tail

    def __iter__(self) -> Iterator[bytes]:
        for head, _, chunks in self._parts:
            yield head
            yield from chunks
            yield b"\r\n"
        yield f"--{self.boundary}--\r\n".encode()


def file_chunks(path: Path, size: int = MiB) -> Iterator[bytes]:
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            yield chunk


def post_streamed(
    base_url: str, path: str, body: Multipart, headers: dict
) -> tuple[int, bytes, float]:
    """POST a multipart body chunk by chunk with a Content-Length; return (status, body, s)."""
    conn = connection(base_url)
    started = time.perf_counter()
    try:
        conn.putrequest("POST", path)
        for name, value in (
            {
                "User-Agent": USER_AGENT,
                "Content-Type": body.content_type,
                "Content-Length": str(body.length),
            }
            | headers
        ).items():
            conn.putheader(name, value)
        conn.endheaders()
        for chunk in body:
            conn.send(chunk)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, data, time.perf_counter() - started
    finally:
        conn.close()


def read_all(
    conn: http.client.HTTPConnection, method: str, path: str, headers: dict, body=None
) -> tuple[int, int, dict]:
    """Send a request and read the body in 1 MiB chunks; return (status, bytes read, headers)."""
    conn.request(method, path, body=body, headers={"User-Agent": USER_AGENT} | headers)
    resp = conn.getresponse()
    total = 0
    while chunk := resp.read(MiB):
        total += len(chunk)
    return resp.status, total, dict(resp.getheaders())
