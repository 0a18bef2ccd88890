"""1. Ingest of large artwork through the real app, against libvips's and Pillow's floors.

Request: the file is POSTed (streamed) to POST /api/v1/submissions/<id>/versions of gunicorn
with one sync worker; the time is the client's, from the first byte sent to the 201 answer,
and covers streaming in, sha256, the header check and storing the original (issue 17: no
pixel is decoded in the request). Memory is the serving process's peak resident size during
that request (VmHWM after resetting it through /proc/<pid>/clear_refs) over its idle size,
compared with the decoded image's size w x h x bands bytes, at 30, 100 and 300 MP.
Worker: the renditions job of each upload (fetch the original, decode in strips, store preview
and thumbnail), run in a process of its own (bench/renditions_worker.py), timed inside it.
Floors, each in a new process on the same file: libvips's thumbnail to a 2,048-px WebP (what
`vipsthumbnail` does; bench/vips_baseline.py) and the old one, Pillow's Image.open().load() and
Image.thumbnail((2048, 2048)) (bench/pillow_baseline.py).
"""

from __future__ import annotations

import json
import os
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
    "PNG 30 MP": "poster-30mp.png",
    "PNG 300 MP": "poster-300mp.png",
}
# The memory curve: the same poster at 30, 100 and 300 MP.
CURVE = ("PNG 30 MP", "PNG 100 MP", "PNG 300 MP")
REPEATS = 3
DESIGNER = "b-designer-30307"


def baseline(path: Path, module: str = "bench.pillow_baseline") -> dict:
    """Median time and peak RSS of a floor (Pillow's or libvips's), each run a new process."""
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-m", module, str(path)],
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


def worker_jobs(env: dict[str, str]) -> list[dict]:
    """Run the queued renditions jobs in a process of the worker's kind; each job's figures."""
    answer = subprocess.run(
        [sys.executable, "-m", "bench.renditions_worker"],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ | env,
    ).stdout
    jobs = json.loads(answer)
    failed = [j for j in jobs if j["status"] != "done"]
    if failed:
        raise RuntimeError(f"renditions jobs did not finish: {failed}")
    return jobs


def measure(ctx, storage: str) -> dict[str, dict]:
    """Ingest every file REPEATS times on one store, then its renditions in a worker process;
    profile one more request of each."""
    with seed.connect(ctx.db_url) as conn:
        ids = iter(seed.draft_submissions(conn, DESIGNER, 1 + len(FILES) * (REPEATS + 1)))
    env = ctx.services.app_env(ctx.db_url, storage)
    results = {}
    with Gunicorn(env, workers=1, log=ctx.out / "gunicorn-ingest.log") as app:
        token = api_token(app.url, DESIGNER)
        upload(app.url, token, next(ids), images.small_png())  # warm-up: imports, pools
        worker_jobs(env)
        worker = app.workers()[0]
        for label, name in FILES.items():
            path = images.artwork(name)
            runs = []
            for _ in range(REPEATS):
                idle = status_kib(worker, "VmRSS")
                reset_peak(worker)
                seconds = upload(app.url, token, next(ids), path)
                runs.append((seconds, status_kib(worker, "VmHWM") / 1024, idle / 1024))
            jobs = worker_jobs(env)
            floor = median(stream_in(app.url, path) for _ in range(REPEATS))
            raw = ctx.out / f"profile-ingest-{storage}-{name}.txt"
            with profile.recording(worker, raw):
                upload(app.url, token, next(ids), path)
            worker_jobs(env)
            results[label] = {
                "worker_seconds": median(j["seconds"] for j in jobs),
                "worker_added_mib": max(j["added_kib"] for j in jobs) / 1024,
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
    curve = []
    for label, name in FILES.items():
        path = images.artwork(name)
        with Image.open(path) as im:  # reads the header only: no bomb check applies
            decoded_mib = im.width * im.height * len(im.getbands()) / MiB
        vips, pillow = baseline(path, "bench.vips_baseline"), baseline(path)
        size = f"{path.stat().st_size / 1e6:.0f} MB file"
        floors = (
            f"{vips['seconds']:.2f} s (libvips thumbnail → WebP); "
            f"old floor {pillow['seconds']:.2f} s (Pillow load+thumbnail)"
        )
        for storage, results in measured.items():
            r = results[label]
            total = r["seconds"] + r["worker_seconds"]
            rows.append(
                Row(
                    "1",
                    f"ingest, {label}, {storage} store ({size}): request {r['seconds']:.2f} s "
                    f"(of which {r['stream_in']:.2f} s only to stream the body in) + worker "
                    f"{r['worker_seconds']:.2f} s; ×{total / pillow['seconds']:.2f} of Pillow's",
                    f"{total:.2f} s",
                    floors,
                    total / vips["seconds"],
                    "≤ 1.5",
                    total / vips["seconds"] <= 1.5,
                )
            )
            ctx.appendix.append(
                profile.markdown(f"Profile: ingest request {label}, {storage} store", r["profile"])
            )
        added = max(
            results[label]["peak_mib"] - results[label]["idle_mib"] for results in measured.values()
        )
        idle = max(results[label]["idle_mib"] for results in measured.values())
        worker_added = max(results[label]["worker_added_mib"] for results in measured.values())
        decoded = f"decoded w×h×3 = {decoded_mib:.0f} MiB"
        rows.append(
            Row(
                "1",
                f"ingest: RSS added to the serving process by the request, {label} (worst store; "
                f"the idle worker holds {idle:.0f} MiB; the worker process adds "
                f"{worker_added:.0f} MiB for the renditions, libvips alone peaks at "
                f"{vips['maxrss_mib']:.0f} MiB, Pillow at {pillow['maxrss_mib']:.0f} MiB)",
                f"+{added:.0f} MiB",
                decoded,
                added / decoded_mib,
                "≤ 0.5",
                added / decoded_mib <= 0.5,
            )
        )
        if label in CURVE:
            curve.append((label, added, worker_added))
    (low, low_added, _), (high, high_added, _) = curve[0], curve[-1]
    rows.append(
        Row(
            "1",
            "ingest: serving-process RSS added, "
            + ", ".join(f"{label} +{a:.0f} MiB (worker +{w:.0f} MiB)" for label, a, w in curve),
            f"+{high_added:.0f} MiB at {high}",
            f"+{low_added:.0f} MiB at {low}",
            (high_added + 1) / (low_added + 1),
            "flat (≤ 1.5 for 10× the pixels)",
            (high_added + 1) / (low_added + 1) <= 1.5,
        )
    )
    return rows
