"""Run the benchmarks of issue 7 and write bench/results/latest.md.

    bash bench/run                       # installs what is missing, then runs this
    .venv/bin/python -m bench [--only ingest,upload,downloads,lists] [--sizes 10000,100000]

Every figure is measured in the same run as its baseline. PostgreSQL and MinIO are started
here in a temporary folder on free loopback ports, and stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench import downloads, growth, images, ingest, lists, seed, upload_memory
from bench.common import Row, table
from bench.services import MINIO_BIN, ROOT, Services, flask_cli

RESULTS = Path(__file__).with_name("results")


@dataclass
class Context:
    services: Services
    db_url: str
    out: Path
    big: int
    appendix: list[str] = field(default_factory=list)


def machine(services: Services) -> str:
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    mem = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    minio = subprocess.run([MINIO_BIN, "--version"], capture_output=True, text=True).stdout
    pin = re.search(r'MINIO_MODULE="([^"]+)"', (ROOT / ".ci/services.sh").read_text())
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0]
    facts = {
        "nproc": os.cpu_count(),
        "memory": f"{mem / 1024 / 1024:.1f} GiB",
        "CPU": cpu.group(1) if cpu else platform.processor(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "Python": platform.python_version(),
        "Pillow": version("pillow"),
        "PostgreSQL": services.sql("SHOW server_version") + " (fsync=off, as in CI)",
        "MinIO": f"{minio.splitlines()[0] if minio else '?'} — {pin.group(1) if pin else ''}"
        " (4 drives, erasure coded)",
        "gunicorn": version("gunicorn") + " sync workers",
        "SQLAlchemy": version("sqlalchemy"),
        "minio SDK": version("minio"),
        "load generator": wrk.strip(),
        "kernel": platform.release(),
    }
    return "\n".join(f"- {k}: {v}" for k, v in facts.items())


def fresh_database(services: Services, name: str) -> str:
    url = services.create_database(name)
    flask_cli(services.app_env(url, "local"), "registry", "init")
    return url


def section(rows: list[Row], number: str, what: str, fn, *args) -> None:
    """Run one measurement; a failure becomes a row and the other measurements go on."""
    started = time.monotonic()
    print(f"[bench] {number}. {what} …", flush=True)
    try:
        new = fn(*args)
    except Exception as error:  # noqa: BLE001 (reported in the table, with its traceback)
        traceback.print_exc()
        new = [Row(number, what, f"failed: {error}"[:300], "", None, "", False)]
    rows.extend(new)
    print(table(new), f"\n[bench] {number} took {time.monotonic() - started:.0f} s", flush=True)


def _measure_lists(ctx: Context, measured: dict, url: str, n: int) -> list[Row]:
    measured[n] = lists.measure(ctx, url, n)
    return []  # the rows come from lists.run and growth.run once both sizes are measured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="ingest,upload,downloads,lists")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    only = set(args.only.split(","))
    small, big = (int(n) for n in args.sizes.split(","))
    out = RESULTS / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.now()
    print("[bench] test images (made once, cached) …", flush=True)
    for name in images.ARTWORK:
        images.artwork(name)
    services = Services().start()
    rows: list[Row] = []
    try:
        facts = machine(services)
        ctx = Context(services, fresh_database(services, "bench_files"), out, big)
        with seed.connect(ctx.db_url) as conn:
            seed.people(conn)
        if "ingest" in only:
            section(rows, "1", "ingest", ingest.run, ctx)
        if "upload" in only:
            section(rows, "2", "upload memory", upload_memory.run, ctx)
        if "downloads" in only:
            section(rows, "4", "downloads", downloads.run, ctx)
        if "lists" in only:
            measured = {}
            for n in (small, big):
                url = fresh_database(services, f"bench_{n}")
                with seed.connect(url) as conn:
                    t = time.monotonic()
                    counts = seed.scale(conn, n)
                    print(f"[bench] seeded {counts} in {time.monotonic() - t:.0f} s", flush=True)
                ctx.appendix.append(f"Seeded for {n:,}: {counts} in {time.monotonic() - t:.0f} s\n")
                section(rows, "3", f"lists at {n:,}", _measure_lists, ctx, measured, url, n)
            if big in measured:
                section(rows, "3", "lists", lists.run, ctx, measured[big], big)
            if small in measured and big in measured:
                section(
                    rows, "5", "growth", growth.run, measured[small], measured[big], (small, big)
                )
    finally:
        services.stop()
    rows.sort(key=lambda r: r.section)
    report = "\n\n".join(
        [
            f"# Registry benchmarks (issue 7) — {started:%Y-%m-%d %H:%M}",
            f"Took {(datetime.now() - started).total_seconds() / 60:.0f} min. Machine:\n\n{facts}",
            table(rows),
            "## Profiles, slow statements and plans\n\n" + "\n".join(ctx.appendix),
        ]
    )
    (RESULTS / "latest.md").write_text(report + "\n")
    print(report.split("## Profiles")[0])
    print(f"[bench] written to {RESULTS / 'latest.md'} (logs and raw profiles in {out})")


if __name__ == "__main__":
    main()
