"""2. A 1 GiB print file uploaded through the app adds little to the worker's peak memory.

The client streams a multipart body (a small PNG artwork plus a print file made of a PDF
header and 1 GiB of filler, generated chunk by chunk, never held in memory) to
POST /api/v1/submissions/<id>/versions of gunicorn with one sync worker. The figure is the
worker's peak resident size during the request (VmHWM, reset just before) minus its resident
size just before; the baseline is that idle size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from bench import images, seed
from bench.common import (
    MiB,
    Multipart,
    Row,
    api_token,
    file_chunks,
    post_streamed,
    reset_peak,
    status_kib,
)
from bench.ingest import DESIGNER, upload
from bench.services import Gunicorn

FILLER = 1 << 30
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
TRAILER = b"\n%%EOF\n"


def print_file() -> tuple[int, Iterator[bytes]]:
    block = os.urandom(MiB)  # one random MiB, repeated: incompressible, and no memory growth

    def chunks():
        yield HEADER
        for i in range(FILLER // MiB):
            yield i.to_bytes(8, "big") + block[8:]  # every chunk differs
        yield TRAILER

    return len(HEADER) + FILLER + len(TRAILER), chunks()


def measure(ctx, storage: str) -> dict:
    with seed.connect(ctx.db_url) as conn:
        warm, target = seed.draft_submissions(conn, DESIGNER, 2)
    env = ctx.services.app_env(ctx.db_url, storage)
    with Gunicorn(env, workers=1, log=ctx.out / "gunicorn-upload.log") as app:
        token = api_token(app.url, DESIGNER)
        upload(app.url, token, warm, images.small_png())  # warm-up
        worker = app.workers()[0]
        art = images.small_png()
        size, chunks = print_file()
        body = Multipart()
        body.add_file("file", art.name, art.stat().st_size, file_chunks(art))
        body.add_file("print_file", "ban-in.pdf", size, chunks)
        idle = status_kib(worker, "VmRSS") / 1024
        reset_peak(worker)
        status, answer, seconds = post_streamed(
            app.url,
            f"/api/v1/submissions/{target}/versions",
            body,
            {"Authorization": f"Bearer {token}"},
        )
        peak = status_kib(worker, "VmHWM") / 1024
    if status != 201:
        raise RuntimeError(f"1 GiB upload on {storage} answered {status}: {answer[:300]!r}")
    return {"idle": idle, "peak": peak, "seconds": seconds, "bytes": body.length}


def run(ctx) -> list[Row]:
    rows = []
    for storage in ("local", "minio"):
        m = measure(ctx, storage)
        added = m["peak"] - m["idle"]
        rate = m["bytes"] / MiB / m["seconds"]
        rows.append(
            Row(
                "2",
                f"1 GiB print file upload, {storage} store: worker peak RSS added "
                f"(request took {m['seconds']:.1f} s, {rate:.0f} MiB/s)",
                f"+{added:.1f} MiB (peak {m['peak']:.0f} MiB)",
                f"idle worker {m['idle']:.0f} MiB",
                None,
                "< 64 MiB",
                added < 64,
            )
        )
    return rows
