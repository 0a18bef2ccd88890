"""The soak's people: designers, reviewers, localities and the public, each a thread that
plays its part of a working day until the deadline, recording every request it makes."""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.common import USER_AGENT, Multipart, file_chunks

NORMAL_TIMEOUT = 60
UPLOAD_TIMEOUT = 300


@dataclass
class Sample:
    kind: str
    started: float  # seconds since the run began
    seconds: float
    status: int | str  # an HTTP status, or "timeout" / "connection"
    retry_after: str | None = None


@dataclass
class Recorder:
    t0: float = field(default_factory=time.monotonic)
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    codes: list[str] = field(default_factory=list)  # approval codes seen, for the public

    def now(self) -> float:
        return time.monotonic() - self.t0

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class Client:
    """One person's HTTP client: keeps a connection, records every request."""

    def __init__(self, base_url: str, recorder: Recorder, token: str | None = None) -> None:
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.rec = recorder
        self.headers = {"User-Agent": USER_AGENT}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.conn: http.client.HTTPConnection | None = None

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        self.conn.timeout = timeout
        if self.conn.sock is not None:
            self.conn.sock.settimeout(timeout)
        return self.conn

    def call(
        self,
        kind,
        method,
        path,
        body=None,
        *,
        headers=None,
        timeout=NORMAL_TIMEOUT,
        json_body=None,
        stream: Multipart | None = None,
    ):
        """Send one request; return (status, headers, body) or (None, {}, b"") on failure."""
        headers = self.headers | (headers or {})
        if json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        started = self.rec.now()
        t = time.perf_counter()
        try:
            conn = self._connection(timeout)
            if stream is not None:
                conn.putrequest(method, path)
                sent = headers | {
                    "Content-Type": stream.content_type,
                    "Content-Length": str(stream.length),
                }
                for name, value in sent.items():
                    conn.putheader(name, value)
                conn.endheaders()
                for chunk in stream:
                    conn.send(chunk)
            else:
                conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            status, got = response.status, dict(response.getheaders())
            if got.get("Connection", "").lower() == "close":
                self.close()
        except TimeoutError:
            self.close()
            self.rec.add(Sample(kind, started, time.perf_counter() - t, "timeout"))
            return None, {}, b""
        except (OSError, http.client.HTTPException):
            self.close()
            self.rec.add(Sample(kind, started, time.perf_counter() - t, "connection"))
            return None, {}, b""
        self.rec.add(Sample(kind, started, time.perf_counter() - t, status, got.get("Retry-After")))
        return status, got, data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def token_for(base_url: str, username: str, password: str, rec: Recorder) -> str:
    status, _, data = Client(base_url, rec).call(
        "sign-in (token)",
        "POST",
        "/api/v1/auth/token",
        json_body={"username": username, "password": password},
    )
    if status != 200:
        raise RuntimeError(f"no token for {username}: {status} {data[:200]!r}")
    return json.loads(data)["token"]


class Person(threading.Thread):
    """A thread that repeats its day's work with pauses until the deadline."""

    pause = (1.0, 3.0)

    def __init__(self, client: Client, deadline: float, stop: threading.Event, seed: int) -> None:
        super().__init__(daemon=True)
        self.client = client
        self.deadline = deadline
        self.stop = stop
        self.random = random.Random(seed)  # noqa: S311 (load shape, not security)
        self.failures: list[str] = []

    def run(self) -> None:
        while time.monotonic() < self.deadline and not self.stop.is_set():
            try:
                self.work()
            except Exception as error:  # noqa: BLE001  (kept for the report, the day goes on)
                self.failures.append(f"{type(error).__name__}: {error}")
            self.stop.wait(self.random.uniform(*self.pause))
        self.client.close()

    def work(self) -> None:
        raise NotImplementedError

    def ok(self, status, what: str, *expected: int) -> bool:
        if status in expected:
            return True
        if status == 503:
            self.stop.wait(3)  # Retry-After says 30; a person tries again a little sooner
        return False


@dataclass
class Day:
    """Facts every person shares: the campaign, slogans, files, the place."""

    campaign_id: int
    slogan_ids: list[int]
    unit_code: str
    lat: float
    lon: float
    artwork: list[Path]
    big_print: Path
    big_budget: list[int]  # uploads of the 100 MB file left (shared, decremented under lock)
    lock: threading.Lock = field(default_factory=threading.Lock)
    sha256: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sha256 = {a: hashlib.sha256(a.read_bytes()).hexdigest() for a in self.artwork}

    def take_big(self) -> bool:
        with self.lock:
            if self.big_budget[0] > 0:
                self.big_budget[0] -= 1
                return True
            return False


class Designer(Person):
    pause = (2.0, 5.0)

    def __init__(self, client, deadline, stop, seed, day: Day) -> None:
        super().__init__(client, deadline, stop, seed)
        self.day = day

    def work(self) -> None:
        c, day = self.client, self.day
        status, _, data = c.call("designer: list own", "GET", "/api/v1/submissions?per_page=25")
        if not self.ok(status, "list", 200):
            return
        returned = [s for s in json.loads(data) if s["status"] == "changes_requested"]
        if returned and self.random.random() < 0.7:
            # Answer a change request with a file not uploaded to it before (the registry
            # refuses a copy of an earlier version), or withdraw it when none is left.
            submission = self.random.choice(returned)
            sid, seen = submission["id"], {v["sha256"] for v in submission["versions"]}
            fresh = [a for a in self.day.artwork if self.day.sha256[a] not in seen]
            if not fresh:
                c.call(
                    "designer: withdraw",
                    "POST",
                    f"/api/v1/submissions/{sid}/transitions",
                    json_body={"action": "withdraw"},
                )
            elif self._upload(sid, fresh):
                self._submit(sid)
            return
        status, _, data = c.call(
            "designer: create submission",
            "POST",
            "/api/v1/submissions",
            json_body={
                "campaign_id": day.campaign_id,
                "title": f"Pano tuyên truyền số {self.random.randint(1, 10**6)}",
                "format": "pano",
                "scope": "unit",
                "width_cm": 300,
                "height_cm": 200,
                "slogan_ids": day.slogan_ids[:1],
            },
        )
        if not self.ok(status, "create", 201):
            return
        sid = json.loads(data)["id"]
        start = date.today() + timedelta(days=1)
        status, _, _ = c.call(
            "designer: add placement",
            "POST",
            f"/api/v1/submissions/{sid}/placements",
            json_body={
                "unit_code": day.unit_code,
                "address": "Số 1 Trần Hưng Đạo",
                "lat": day.lat + self.random.uniform(-0.005, 0.005),
                "lon": day.lon + self.random.uniform(-0.005, 0.005),
                "site_type": "main_road",
                "quantity": 1,
                "display_from": start.isoformat(),
                "display_to": (start + timedelta(days=30)).isoformat(),
            },
        )
        if self.ok(status, "placement", 201) and self._upload(sid):
            self._submit(sid)

    def _upload(self, sid: int, choices: list[Path] | None = None) -> bool:
        art = self.random.choice(choices or self.day.artwork)
        body = Multipart()
        body.add_file("file", art.name, art.stat().st_size, file_chunks(art))
        kind = "designer: upload artwork"
        if self.day.take_big():
            big = self.day.big_print
            body.add_file("print_file", "ban-in.pdf", big.stat().st_size, file_chunks(big))
            kind = "designer: upload artwork + 100 MB print file"
        status, _, _ = self.client.call(
            kind,
            "POST",
            f"/api/v1/submissions/{sid}/versions",
            stream=body,
            timeout=UPLOAD_TIMEOUT,
        )
        return self.ok(status, "upload", 201)

    def _submit(self, sid: int):
        return self.client.call(
            "designer: submit",
            "POST",
            f"/api/v1/submissions/{sid}/transitions",
            # A resubmission says what changed (the first submission ignores the note).
            json_body={"action": "submit", "comment": "Đã sửa theo ý kiến thẩm định."},
        )


class Reviewer(Person):
    pause = (1.0, 3.0)

    def work(self) -> None:
        c = self.client
        status, _, data = c.call(
            "reviewer: queue", "GET", "/api/v1/submissions?status=submitted&per_page=10"
        )
        if not self.ok(status, "queue", 200) or not json.loads(data):
            return
        sid = self.random.choice(json.loads(data))["id"]
        path = f"/api/v1/submissions/{sid}"
        status, _, _ = c.call(
            "reviewer: claim", "POST", f"{path}/transitions", json_body={"action": "claim"}
        )
        if not self.ok(status, "claim", 200):
            return  # another reviewer was quicker (409): the queue moves on
        status, _, data = c.call("reviewer: open review", "GET", f"{path}/review")
        if not self.ok(status, "review", 200):
            return
        answers = json.loads(data)["answers"]
        reject = self.random.random() < 0.25
        sheet = [
            {
                "item": a["item"],
                "result": "pass",
                "comment": ""
                if a["automatic_result"] in (None, "pass")
                else "Đã xem xét, chấp nhận.",
            }
            for a in answers
        ]
        if reject:
            sheet[0] = {"item": answers[0]["item"], "result": "fail", "comment": "Cần sửa lại."}
        status, _, _ = c.call(
            "reviewer: answer checklist", "PUT", f"{path}/review/answers", json_body=sheet
        )
        if not self.ok(status, "answers", 200):
            return
        action = "request_changes" if reject else "approve"
        c.call(
            "reviewer: decide",
            "POST",
            f"{path}/transitions",
            json_body={"action": action, "comment": "Kết luận thẩm định."},
        )


class Locality(Person):
    pause = (1.0, 2.5)

    def work(self) -> None:
        c = self.client
        status, _, data = c.call("locality: list assets", "GET", "/api/v1/assets?per_page=25")
        if not self.ok(status, "assets", 200):
            return
        assets = json.loads(data)
        codes = [a["code"] for a in assets]
        with c.rec.lock:
            c.rec.codes[:] = sorted(set(c.rec.codes) | set(codes))
        usable = [a["code"] for a in assets if a["status"] in ("valid", "upcoming")]
        if not usable:
            return
        code = self.random.choice(usable)
        status, headers, _ = c.call(
            "locality: download link", "GET", f"/api/v1/assets/{code}/download"
        )
        if status != 302:
            self.ok(status, "download", 302)
            return
        self._fetch(headers["Location"])

    def _fetch(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        store = Client(f"http://{parts.netloc}", self.client.rec)
        store.call(
            "locality: download file (MinIO)",
            "GET",
            parts.path + ("?" + parts.query if parts.query else ""),
        )
        store.close()


class Public(Person):
    pause = (0.5, 1.5)

    def work(self) -> None:
        with self.client.rec.lock:
            codes = list(self.client.rec.codes)
        if not codes:
            return
        code = self.random.choice(codes)
        if self.random.random() < 0.5:
            self.client.call("public: verify (API)", "GET", f"/api/v1/verify/{code}")
        else:
            self.client.call("public: verify (page)", "GET", f"/verify/{code}")
