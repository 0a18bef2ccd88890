"""Issue 17: a large upload over a slow line that drops half way, resumed (tus).

    .venv/bin/python -m bench.resumable                  # 300 MB at 20 Mbit/s, cut at 50 %
    .venv/bin/python -m bench.resumable --file X --mbit 80 --cut 0.3

The registry runs on its embedded default (SQLite, files under a temporary folder) with
gunicorn -w 2. Between it and the client sits a throttling proxy on loopback (asyncio): it
forwards the client's bytes at --mbit and, once --cut of the file has crossed it, drops both
connections, as a line that goes dead. The client speaks tus as the page does (SHA-256 first,
8 MiB chunks, HEAD then PATCH again after an error) and finishes with the page's form. The
figures: bytes that crossed the link against the file's size (what was sent again), the time,
and whether the stored version's SHA-256 is the file's. Results go to bench/results/resumable.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench.common import USER_AGENT, MiB, api_token, csrf_token, request, sign_in
from bench.images import artwork

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-password-1"  # noqa: S105 (bench.common's sign_in uses it)


class ShapedLink:
    """A TCP proxy on loopback: client-to-server bytes at `rate` bytes/s, cut once at `cut_at`."""

    def __init__(self, upstream_port: int, rate: float, cut_at: int | None) -> None:
        self.upstream_port, self.rate, self.cut_at = upstream_port, rate, cut_at
        self.carried = 0  # client bytes that crossed the link
        self.cut_done = False
        self.port = 0
        self._ready = threading.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        threading.Thread(target=self._run, daemon=True).start()
        self._ready.wait()

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        server = await asyncio.start_server(self._connection, "127.0.0.1", 0)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await server.serve_forever()

    async def _connection(self, client_r, client_w) -> None:
        server_r, server_w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        pair = {client_w, server_w}
        self._writers |= pair
        up = asyncio.create_task(self._up(client_r, server_w))
        down = asyncio.create_task(self._pipe(server_r, client_w))
        await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
        await asyncio.sleep(0.5)  # let an answer that follows a finished body through
        for task in (up, down):
            task.cancel()
        for writer in pair:
            writer.close()
        self._writers -= pair

    async def _up(self, reader, writer) -> None:
        start, sent = time.monotonic(), 0
        while data := await reader.read(16 << 10):
            self.carried += len(data)
            if self.cut_at is not None and not self.cut_done and self.carried >= self.cut_at:
                self.cut_done = True
                for w in list(self._writers):  # the line goes dead under every connection
                    w.transport.abort()
                return
            writer.write(data)
            await writer.drain()
            sent += len(data)
            ahead = sent / self.rate - (time.monotonic() - start)
            if ahead > 0:
                await asyncio.sleep(ahead)
        writer.write_eof()

    async def _pipe(self, reader, writer) -> None:
        while data := await reader.read(64 << 10):
            writer.write(data)
            await writer.drain()


class TusClient:
    """The page's upload as a script: tus through the shaped link, then the completion form."""

    def __init__(self, link_port: int, cookie: str, csrf: str) -> None:
        self.port, self.cookie, self.csrf = link_port, cookie, csrf
        self.errors = 0

    def _headers(self, **extra: str) -> dict[str, str]:
        return {
            "Tus-Resumable": "1.0.0",
            "Cookie": self.cookie,
            "X-CSRFToken": self.csrf,
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            **extra,
        }

    def _call(self, method: str, path: str, body=None, **headers: str):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=self._headers(**headers))
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def upload(self, submission_id: int, path: Path, sha256: str, chunk: int) -> str:
        size = path.stat().st_size
        meta = {"filename": path.name, "kind": "artwork", "sha256": sha256}
        encoded = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in meta.items())
        status, headers, body = self._call(
            "POST",
            f"/submissions/{submission_id}/uploads",
            **{"Upload-Length": str(size), "Upload-Metadata": encoded},
        )
        if status != 201:
            raise RuntimeError(f"creation: {status} {body[:300]!r}")
        location = urllib.parse.urlsplit(headers["Location"]).path
        offset = 0
        with open(path, "rb") as fp:
            while offset < size:
                fp.seek(offset)
                data = fp.read(min(chunk, size - offset))
                try:
                    status, headers, body = self._call(
                        "PATCH",
                        location,
                        data,
                        **{
                            "Upload-Offset": str(offset),
                            "Content-Type": "application/offset+octet-stream",
                        },
                    )
                except OSError:
                    status = 0
                if status == 204:
                    offset = int(headers["Upload-Offset"])
                    continue
                if status not in (0, 409, 423):
                    raise RuntimeError(f"PATCH: {status} {body[:300]!r}")
                self.errors += 1
                time.sleep(1)  # as tus-js-client's retry delays: then ask where to go on
                offset = self._offset(location)
        return location.rsplit("/", 1)[1]

    def _offset(self, location: str) -> int:
        while True:
            try:
                status, headers, _ = self._call("HEAD", location)
                if status == 200:
                    return int(headers["Upload-Offset"])
            except OSError:
                pass
            self.errors += 1
            time.sleep(1)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [VENV_BIN / "flask", "--app", "wsgi", *args],
        cwd=ROOT, env=os.environ | env, check=True, capture_output=True,
    )  # fmt: skip


def _start_registry(tmp: Path) -> tuple[subprocess.Popen, dict[str, str], int]:
    env = {
        "REGISTRY_DATABASE_URL": f"sqlite:///{tmp / 'registry.sqlite3'}",
        "REGISTRY_STORAGE": "local",
        "REGISTRY_LOCAL_STORAGE_PATH": str(tmp / "storage"),
        "REGISTRY_UPLOAD_STAGING_PATH": str(tmp / "staging"),
        "REGISTRY_TASK_QUEUE_URL": f"sqlite:///{tmp / 'tasks.sqlite3'}",
        "REGISTRY_REQUEST_LOG": "false",
        "SECRET_KEY": "bench-resumable",
    }
    _flask(env, "registry", "init")
    _flask(env, "registry", "create-user", "tk.bench", "--role", "designer",
              "--unit", "30307", "--password", PASSWORD)  # fmt: skip
    port = _free_port()
    log = open(tmp / "gunicorn.log", "ab")  # noqa: SIM115 (lives as long as the server)
    server = subprocess.Popen(
        [VENV_BIN / "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "600",
         "wsgi:app"],
        cwd=ROOT, env=os.environ | env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if request(url, "GET", "/login")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError(f"gunicorn did not start; see {tmp / 'gunicorn.log'}")
    return server, env, port


def _draft(url: str) -> int:
    token = api_token(url, "tk.bench")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    _, _, body = request(url, "GET", "/api/v1/campaigns", headers=auth)
    campaign = next(c for c in json.loads(body) if c["code"] == "KL288-2026")
    fields = {
        "campaign_id": campaign["id"],
        "title": "Pano khổ lớn tải lên qua đường truyền chập chờn",
        "format": "pano",
        "width_cm": 1000,
        "height_cm": 1000,
        "slogan_ids": [campaign["slogans"][0]["id"]],
    }
    _, _, body = request(url, "POST", "/api/v1/submissions", json.dumps(fields), auth)
    return json.loads(body)["id"]


def _stored_sha256(url: str, submission_id: int) -> list[str]:
    auth = {"Authorization": f"Bearer {api_token(url, 'tk.bench')}"}
    _, _, body = request(url, "GET", f"/api/v1/submissions/{submission_id}", headers=auth)
    return [v["sha256"] for v in json.loads(body)["versions"]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, help="artwork to send (default: a 300 MB TIFF)")
    parser.add_argument("--mbit", type=float, default=20.0, help="link rate, Mbit/s")
    parser.add_argument("--cut", type=float, default=0.5, help="fraction at which the line drops")
    parser.add_argument("--chunk-mb", type=int, default=8)
    args = parser.parse_args()
    path = args.file or artwork("poster-100mp-raw.tif")
    size = path.stat().st_size
    started = time.monotonic()
    sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    hashed = time.monotonic() - started

    with tempfile.TemporaryDirectory(prefix="bench-resumable-") as folder:
        server, _, port = _start_registry(Path(folder))
        try:
            url = f"http://127.0.0.1:{port}"
            submission_id = _draft(url)
            cookie = sign_in(url, "tk.bench")
            page = request(url, "GET", f"/submissions/{submission_id}", headers={"Cookie": cookie})
            csrf = csrf_token(page[2])
            link = ShapedLink(port, args.mbit * 1e6 / 8, int(size * args.cut))
            client = TusClient(link.port, cookie, csrf)
            started = time.monotonic()
            token = client.upload(submission_id, path, sha256, args.chunk_mb * MiB)
            sent = time.monotonic() - started
            form = urllib.parse.urlencode(
                {"csrf_token": csrf, "artwork": token, "artwork_sha256": sha256}
            )
            started = time.monotonic()
            status, _, body = request(
                url,
                "POST",
                f"/submissions/{submission_id}/uploads/complete",
                form,
                {
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
            finished = time.monotonic() - started
            stored = _stored_sha256(url, submission_id)
        finally:
            server.terminate()
            server.wait(30)

    resent = link.carried - size
    ideal = size / (args.mbit * 1e6 / 8)
    lines = [
        "# Resumable upload through a shaped link (issue 17)",
        "",
        "| measurement | figure | target | result |",
        "|---|---|---|---|",
        f"| file | {path.name}, {size:,} bytes ({size / 1e6:.0f} MB) | 300 MB | — |",
        f"| link | {args.mbit:g} Mbit/s, line dropped once at {args.cut:.0%} "
        f"({'dropped' if link.cut_done else 'never reached'}) | cut at 50 % | — |",
        f"| SHA-256 in the client before sending | {hashed:.1f} s | — | — |",
        f"| time to send (incl. the drop and resume) | {sent:.1f} s "
        f"(the bare link: {ideal:.1f} s) | — | — |",
        f"| errors seen by the client (then HEAD, resume) | {client.errors} | — | — |",
        f"| bytes over the link | {link.carried:,} | — | — |",
        f"| bytes sent again | {resent:,} ({resent / size:.3%} of the file) | ≤ 5 % | "
        f"{'met' if resent <= 0.05 * size else '**missed**'} |",
        f"| completion (SHA-256 check + ingest) | {status}, {finished:.1f} s | 201 | "
        f"{'met' if status == 201 else '**missed** ' + body[:200].decode(errors='replace')} |",
        f"| stored SHA-256 = file's | {stored == [sha256]} | true | "
        f"{'met' if stored == [sha256] else '**missed**'} |",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    results = ROOT / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    (results / "resumable.md").write_text(report)


if __name__ == "__main__":
    main()
