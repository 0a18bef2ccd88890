"""1. Ingest of large artwork through the real app, against Pillow's bare decode.

Ingest: the file is POSTed (streamed) to POST /api/v1/submissions/<id>/versions of gunicorn
with one sync worker; the time is the client's, from the first byte sent to the 201 answer,
and covers streaming in, sha256, decode, preview, thumbnail and storing original and
renditions. Memory is the worker's peak resident size during that request (VmHWM after
resetting it through /proc/<pid>/clear_refs), compared with the decoded image's size
w x h x bands bytes. Baseline: a separate process that runs Image.open().load() and one
Image.thumbnail((2048, 2048)) on the same file, timed inside that process.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image

from bench import images, profile, seed
from bench.common import (
    MiB,
    Multipart,
    Row,
    api_token,
    file_chunks,
    median,
    post_streamed,
    reset_peak,
    status_kib,
)
from bench.services import Gunicorn

Image.MAX_IMAGE_PIXELS = None  # this process only reads sizes; the app keeps its own limit

FILES = {
    "PNG 100 MP": "poster-100mp.png",
    "TIFF 100 MP (LZW)": "poster-100mp-lzw.tif",
    "TIFF 100 MP (uncompressed)": "poster-100mp-raw.tif",
    "JPEG 30 MP": "photo-30mp.jpg",
}
REPEATS = 3
DESIGNER = "b-designer-30307"


def baseline(path: Path) -> dict:
    """Median time and peak RSS of Pillow's bare decode + thumbnail, each run a new process."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-m", "bench.pillow_baseline", str(path)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        for _ in range(REPEATS)
    ]
    return {
        "seconds": median(r["seconds"] for r in runs),
        "maxrss_mib": max(r["maxrss_kib"] for r in runs) / 1024,
    }


def upload(url: str, token: str, submission_id: int, path: Path) -> float:
    body = Multipart()
    body.add_file("file", path.name, path.stat().st_size, file_chunks(path))
    status, answer, seconds = post_streamed(
        url,
        f"/api/v1/submissions/{submission_id}/versions",
        body,
        {"Authorization": f"Bearer {token}"},
    )
    if status != 201:
        raise RuntimeError(f"ingest of {path.name} answered {status}: {answer[:300]!r}")
    return seconds


def stream_in(url: str, path: Path) -> float:
    """The floor of any ingest: the same body sent through the same app, parsed, spooled and
    hashed, then refused (POST /login without a CSRF token parses the form, answers 400)."""
    body = Multipart()
    body.add_file("file", path.name, path.stat().st_size, file_chunks(path))
    status, _, seconds = post_streamed(url, "/login", body, {})
    if status != 400:
        raise RuntimeError(f"stream-in probe answered {status}")
    return seconds


def measure(ctx, storage: str) -> dict[str, dict]:
    """Ingest every file REPEATS times on one store; profile one more run of each."""
    with seed.connect(ctx.db_url) as conn:
        ids = iter(seed.draft_submissions(conn, DESIGNER, 1 + len(FILES) * (REPEATS + 1)))
    env = ctx.services.app_env(ctx.db_url, storage)
    results = {}
    with Gunicorn(env, workers=1, log=ctx.out / "gunicorn-ingest.log") as app:
        token = api_token(app.url, DESIGNER)
        upload(app.url, token, next(ids), images.small_png())  # warm-up: imports, pools
        worker = app.workers()[0]
        for label, name in FILES.items():
            path = images.artwork(name)
            runs = []
            for _ in range(REPEATS):
                idle = status_kib(worker, "VmRSS")
                reset_peak(worker)
                seconds = upload(app.url, token, next(ids), path)
                runs.append((seconds, status_kib(worker, "VmHWM") / 1024, idle / 1024))
            floor = median(stream_in(app.url, path) for _ in range(REPEATS))
            raw = ctx.out / f"profile-ingest-{storage}-{name}.txt"
            with profile.recording(worker, raw):
                upload(app.url, token, next(ids), path)
            results[label] = {
                "seconds": median(r[0] for r in runs),
                "stream_in": floor,
                "peak_mib": max(r[1] for r in runs),
                "idle_mib": median(r[2] for r in runs),
                "profile": profile.summary(raw),
            }
    return results


def run(ctx) -> list[Row]:
    rows = []
    measured = {storage: measure(ctx, storage) for storage in ("local", "minio")}
    for label, name in FILES.items():
        path = images.artwork(name)
        with Image.open(path) as im:  # reads the header only: no bomb check applies
            decoded_mib = im.width * im.height * len(im.getbands()) / MiB
        base = baseline(path)
        size = f"{path.stat().st_size / 1e6:.0f} MB file"
        for storage, results in measured.items():
            r = results[label]
            ratio = r["seconds"] / base["seconds"]
            rows.append(
                Row(
                    "1",
                    f"ingest time, {label}, {storage} store ({size}; of which "
                    f"{r['stream_in']:.2f} s only to stream the body in)",
                    f"{r['seconds']:.2f} s",
                    f"{base['seconds']:.2f} s (Pillow load+thumbnail)",
                    ratio,
                    "≤ 1.5",
                    ratio <= 1.5,
                )
            )
            ctx.appendix.append(
                profile.markdown(f"Profile: ingest {label}, {storage} store", r["profile"])
            )
        peak = max(results[label]["peak_mib"] for results in measured.values())
        idle = max(results[label]["idle_mib"] for results in measured.values())
        decoded = f"decoded w×h×3 = {decoded_mib:.0f} MiB"
        rows.append(
            Row(
                "1",
                f"ingest: peak RSS of the gunicorn worker, {label} (worst store; "
                f"the idle worker holds {idle:.0f} MiB)",
                f"{peak:.0f} MiB",
                f"{decoded}; bare Pillow process peaks at {base['maxrss_mib']:.0f} MiB",
                peak / decoded_mib,
                "≤ 1.3",
                peak / decoded_mib <= 1.3,
            )
        )
        rows.append(
            Row(
                "1",
                f"ingest: RSS added by the request over the idle worker, {label}",
                f"+{peak - idle:.0f} MiB",
                decoded,
                (peak - idle) / decoded_mib,
                "≤ 1.3 (same target, idle app excluded)",
                (peak - idle) / decoded_mib <= 1.3,
            )
        )
    return rows
