"""4. Downloads from MinIO: the app's presigned link against the SDK, the ZIP against one by one.

A locality user downloads a 500 MB approved asset through GET /library/<code>/download (the
app logs it and answers 302 to a presigned MinIO URL, which the client then reads); the
baseline is the minio SDK's get_object of the same object from the same client process.
The ZIP of 20 assets (25 MB each) is POST /library/zip, streamed by the app from MinIO; its
baseline is the same 20 assets downloaded one by one through the app's presigned links.
Throughput is bytes received / wall time, the median of REPEATS runs.
"""

from __future__ import annotations

import hashlib
import time
import urllib.parse
from datetime import UTC, date, datetime

from minio import Minio

from bench import profile, seed
from bench.common import MiB, Row, connection, csrf_token, median, read_all, request, sign_in
from bench.services import Gunicorn

BIG, SMALL, COUNT = 500_000_000, 25_000_000, 20
REPEATS = 5
LOCALITY = "b-locality-30307"


class Filler:
    """A readable stream of size bytes cycling through a pseudo-random block; any read sizes."""

    def __init__(self, size: int, seed: int) -> None:
        block = hashlib.sha512(str(seed).encode()).digest() * (MiB // 64)
        self._block, self._pos, self.left = block + block[:7], 0, size  # period MiB + 7

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        out = bytearray()
        while len(out) < n:
            start = self._pos % len(self._block)
            piece = self._block[start : start + n - len(out)]
            out += piece
            self._pos += len(piece)
        self.left -= n
        return bytes(out)


def _sha256(size: int, seed: int) -> str:
    digest, stream = hashlib.sha256(), Filler(size, seed)
    while chunk := stream.read(MiB):
        digest.update(chunk)
    return digest.hexdigest()


def _approve(conn, code: str, key: str, size: int, sha: str) -> None:
    """Rows of an approved asset of the locality's unit (submission, version, review, asset)."""
    user, unit = conn.execute(
        "SELECT id, unit_id FROM users WHERE username = %s", (LOCALITY,)
    ).fetchone()
    reviewer = conn.execute("SELECT id FROM users WHERE username = 'b-reviewer1'").fetchone()[0]
    campaign = conn.execute("SELECT min(id) FROM campaigns").fetchone()[0]
    checklist = conn.execute("SELECT min(id) FROM checklist_versions").fetchone()[0]
    now = datetime.now(UTC)
    sub = conn.execute(
        "INSERT INTO submissions (unit_id, campaign_id, created_by_id, title, format, scope, "
        "width_cm, height_cm, other_text, description, status, lock_version, created_at, "
        "updated_at) VALUES (%s,%s,%s,%s,'pano','unit',400,200,'','','approved',1,%s,%s) "
        "RETURNING id",
        (unit, campaign, user, f"Tải xuống {code}", now, now),
    ).fetchone()[0]
    version = conn.execute(
        "INSERT INTO artwork_versions (submission_id, number, uploaded_by_id, created_at, "
        "storage_key, sha256, size_bytes, content_type, original_name, image_format, width_px, "
        "height_px, color_mode, bit_depth, has_icc_profile, preview_key, thumb_key) VALUES "
        "(%s,1,%s,%s,%s,%s,%s,'image/png','a.png','PNG',8000,4000,'RGB',8,false,'p','t') "
        "RETURNING id",
        (sub, user, now, f"uploads/{sub}/v1/{sha}.png", sha, size),
    ).fetchone()[0]
    review = conn.execute(
        "INSERT INTO reviews (submission_id, version_id, reviewer_id, checklist_version_id, "
        "decision, comment, started_at, decided_at) VALUES (%s,%s,%s,%s,'approve','',%s,%s) "
        "RETURNING id",
        (sub, version, reviewer, checklist, now, now),
    ).fetchone()[0]
    conn.execute(
        "INSERT INTO approved_assets (code, submission_id, version_id, review_id, campaign_id, "
        "unit_id, scope, storage_key, sha256, size_bytes, content_type, valid_from, approved_at, "
        "approved_by_id, revoke_reason) VALUES (%s,%s,%s,%s,%s,%s,'unit',%s,%s,%s,'image/png',"
        "%s,%s,%s,'')",
        (code, sub, version, review, campaign, unit, key, sha, size, date.today(), now, reviewer),
    )


def prepare(ctx, env: dict) -> tuple[str, list[str]]:
    """Store the objects in MinIO through MinioStore and add their approval rows."""
    from registry.storage import build_store

    config = {k: v for k, v in env.items()} | {"SECRET_KEY": "x"}
    store = build_store(config)
    store.ensure_buckets()
    codes = []
    with seed.connect(ctx.db_url) as conn:
        for i, size in enumerate([BIG] + [SMALL] * COUNT):
            code, sha = f"AG-DL-{i:04d}", _sha256(size, i)
            key = f"bench/{code}.png"
            store.put(
                "approved", key, Filler(size, i), size=size, content_type="image/png", sha256=sha
            )
            _approve(conn, code, key, size, sha)
            codes.append(code)
        conn.commit()
    return codes[0], codes[1:]


def via_app(app_url: str, cookie: str, code: str) -> tuple[int, float]:
    """Download one asset as a user does: the app's 302, then the presigned URL."""
    started = time.perf_counter()
    status, headers, _ = request(
        app_url, "GET", f"/library/{code}/download", headers={"Cookie": cookie}
    )
    if status != 302:
        raise RuntimeError(f"download of {code} answered {status}")
    link = urllib.parse.urlsplit(headers["Location"])
    conn = connection(f"{link.scheme}://{link.netloc}")
    status, size, _ = read_all(conn, "GET", f"{link.path}?{link.query}", {})
    conn.close()
    if status != 200:
        raise RuntimeError(f"presigned GET answered {status}")
    return size, time.perf_counter() - started


def via_sdk(client: Minio, bucket: str, key: str) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.get_object(bucket, key)
    size = sum(len(chunk) for chunk in response.stream(MiB))
    response.close()
    response.release_conn()
    return size, time.perf_counter() - started


def via_zip(app_url: str, cookie: str, codes: list[str]) -> tuple[int, float]:
    _, _, page = request(app_url, "GET", "/library/", headers={"Cookie": cookie})
    form = urllib.parse.urlencode({"csrf_token": csrf_token(page), "codes": codes}, doseq=True)
    started = time.perf_counter()
    conn = connection(app_url)
    status, size, _ = read_all(
        conn,
        "POST",
        "/library/zip",
        {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    conn.close()
    if status != 200:
        raise RuntimeError(f"ZIP answered {status}")
    return size, time.perf_counter() - started


def _rate(runs: list[tuple[int, float]]) -> float:
    return median(size / seconds for size, seconds in runs) / 1e6  # MB/s


def run(ctx) -> list[Row]:
    env = ctx.services.app_env(ctx.db_url, "minio")
    big, small = prepare(ctx, env)
    sdk = Minio(
        env["REGISTRY_MINIO_ENDPOINT"],
        env["REGISTRY_MINIO_ACCESS_KEY"],
        env["REGISTRY_MINIO_SECRET_KEY"],
        secure=False,
    )
    # One worker: the client asks one thing at a time, and py-spy then knows whom to watch.
    with Gunicorn(env, workers=1, log=ctx.out / "gunicorn-downloads.log") as app:
        cookie = sign_in(app.url, LOCALITY)
        app_runs, sdk_runs, zip_runs, one_runs = [], [], [], []
        for _ in range(REPEATS):  # interleaved, so that noise hits both sides alike
            app_runs.append(via_app(app.url, cookie, big))
            sdk_runs.append(via_sdk(sdk, env["REGISTRY_APPROVED_BUCKET"], f"bench/{big}.png"))
            zip_runs.append(via_zip(app.url, cookie, small))
            singles = [via_app(app.url, cookie, code) for code in small]
            one_runs.append((sum(s for s, _ in singles), sum(t for _, t in singles)))
        raw = ctx.out / "profile-zip.txt"
        with profile.recording(app.workers()[0], raw):
            via_zip(app.url, cookie, small)
        zip_profile = profile.summary(
            raw,
            skip=(),
            keep=("registry/", "zipfile", "urllib3/response", "gunicorn/http/wsgi"),
            busy_in=("registry/", "werkzeug/", "gunicorn/http/wsgi"),
        )
        ctx.appendix.append(profile.markdown("Profile: ZIP of 20 assets", zip_profile))
    presigned, direct = _rate(app_runs), _rate(sdk_runs)
    zipped, one_by_one = _rate(zip_runs), _rate(one_runs)
    zip_seconds = median(t for _, t in zip_runs)
    return [
        Row(
            "4",
            "presigned download of a 500 MB asset (app 302 + MinIO GET)",
            f"{presigned:.0f} MB/s",
            f"{direct:.0f} MB/s (minio SDK get_object)",
            presigned / direct,
            "≥ 0.90",
            presigned / direct >= 0.90,
        ),
        Row(
            "4",
            f"ZIP of {COUNT} assets × 25 MB streamed by the app (took {zip_seconds:.1f} s)",
            f"{zipped:.0f} MB/s",
            f"{one_by_one:.0f} MB/s (the {COUNT} one by one, presigned)",
            zipped / one_by_one,
            "≥ 0.70",
            zipped / one_by_one >= 0.70,
        ),
    ]
