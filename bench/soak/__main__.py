"""The soak and fault run: a compressed working day against gunicorn, PostgreSQL and MinIO on
loopback, a MinIO node lost and restarted, PostgreSQL restarted, then the storage check.

    bash bench/soak/run [--minutes 5] [--workers 2] [--big 3]

Everything runs on 127.0.0.1 and stops by itself: the people stop at the deadline, every
request has a timeout, and the servers started here are stopped here. The report goes to
bench/results/soak.md (and stdout).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import threading
import time
import traceback
import urllib.request
from datetime import datetime
from pathlib import Path

from bench.common import PASSWORD
from bench.images import CACHE, poster
from bench.services import flask_cli
from bench.soak.cluster import DistributedMinio, Postgres, Server, Worker, app_env, scratch
from bench.soak.probe import probe_report
from bench.soak.report import report
from bench.soak.users import (
    Client,
    Day,
    Designer,
    Locality,
    Public,
    Recorder,
    Reviewer,
    token_for,
)

RESULTS = Path(__file__).resolve().parent.parent / "results"
UNIT = "30307"  # Phường Long Xuyên
LAT, LON = 10.3866, 105.4352
PEOPLE = {"designer": 3, "reviewer": 2, "locality": 3, "public": 2}


def files() -> tuple[list[Path], Path]:
    folder = CACHE / "soak"
    folder.mkdir(parents=True, exist_ok=True)
    art = []
    sizes = [(1800, 1200), (2400, 1600), (1500, 1000), (2100, 1400), (1200, 800), (2700, 1800)]
    for i, size in enumerate(sizes):
        path = folder / f"poster-{i}.png"
        if not path.exists():
            poster(size, grain=6 + i).save(path, "PNG")
        art.append(path)
    big = folder / "print-100mb.pdf"
    if not big.exists():
        with open(big, "wb") as fh:
            fh.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
            for _ in range(100):
                fh.write(os.urandom(1 << 20))
            fh.write(b"\n%%EOF\n")
    return art, big


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--big", type=int, default=3, help="uploads of the 100 MB print file")
    parser.add_argument(
        "--trace-memory",
        type=int,
        default=0,
        metavar="FRAMES",
        help="trace Python's allocations in the workers (slower): what grew after warm-up",
    )
    args = parser.parse_args()
    duration = args.minutes * 60
    RESULTS.mkdir(exist_ok=True)
    root = scratch()
    events: list[tuple[float, str]] = []
    postgres = minio = server = worker = None
    try:
        art, big = files()
        postgres = Postgres(root)
        minio = DistributedMinio(root)
        env = app_env(root, postgres.url, minio)
        if args.trace_memory:
            env["SOAK_TRACEMALLOC"] = str(args.trace_memory)
        flask_cli(env, "registry", "init")
        users = {role: [f"{role}{i + 1}" for i in range(n)] for role, n in PEOPLE.items() if n}
        for role in ("designer", "reviewer", "locality"):
            unit = "SVHTT-QLVH" if role == "reviewer" else UNIT
            for name in users[role]:
                flask_cli(
                    env,
                    "registry",
                    "create-user",
                    name,
                    "--role",
                    role,
                    "--unit",
                    unit,
                    "--password",
                    PASSWORD,
                )
        server = Server(env, args.workers, root / "gunicorn.log")
        worker = Worker(env, root / "worker.log")
        rec = Recorder()
        tokens = {
            n: token_for(server.url, n, PASSWORD, rec)
            for r in users
            for n in users[r]
            if r != "public"
        }
        ask = urllib.request.Request(  # noqa: S310 (loopback)
            server.url + "/api/v1/campaigns",
            headers={"Authorization": f"Bearer {tokens['designer1']}"},
        )
        with urllib.request.urlopen(ask, timeout=30) as answer:  # noqa: S310 (loopback)
            campaigns = json.loads(answer.read())
        campaign = campaigns[0]
        day = Day(
            campaign["id"],
            [s["id"] for s in campaign["slogans"]],
            UNIT,
            LAT,
            LON,
            art,
            big,
            [args.big],
        )
        stop = threading.Event()
        rec.t0 = time.monotonic()
        deadline = time.monotonic() + duration
        people = []
        for i, name in enumerate(users["designer"]):
            people.append(Designer(Client(server.url, rec, tokens[name]), deadline, stop, i, day))
        for i, name in enumerate(users["reviewer"]):
            people.append(Reviewer(Client(server.url, rec, tokens[name]), deadline, stop, 10 + i))
        for i, name in enumerate(users["locality"]):
            people.append(Locality(Client(server.url, rec, tokens[name]), deadline, stop, 20 + i))
        for i in range(PEOPLE["public"]):
            people.append(Public(Client(server.url, rec), deadline, stop, 30 + i))
        for person in people:
            person.start()

        def at(fraction: float) -> None:
            target = rec.t0 + duration * fraction
            while time.monotonic() < target and not stop.is_set():
                time.sleep(0.2)

        def event(what: str) -> None:
            events.append((rec.now(), what))
            print(f"[soak] {rec.now():6.1f} s  {what}", flush=True)

        trend: list[tuple[float, dict[str, float]]] = []
        sampler = threading.Thread(
            target=_sample_memory, args=(server, rec, trend, stop, deadline), daemon=True
        )
        sampler.start()
        at(0.2)
        memory_start = server.memory_mib()
        split_start = server.memory_split()
        if args.trace_memory:
            _snapshots(server, root / "probe", "warm")
        event("warm-up over: memory measured")
        at(0.3)
        minio.stop_node(3)
        event("MinIO node 4 of 4 killed (SIGKILL)")
        at(0.5)
        minio.start_node(3)
        event("MinIO node 4 started again")
        at(0.65)
        event("PostgreSQL stopping (planned outage begins)")
        postgres.stop()
        event("PostgreSQL stopped")
        time.sleep(8)
        postgres.start()
        event("PostgreSQL started (planned outage ends)")
        at(1.0)
        for person in people:
            person.join(UPLOAD_JOIN_SECONDS)
        event("every person has stopped")
        waiting = _drain_queue(server.url, JOBS_DRAIN_SECONDS)
        event(f"task queue: {waiting:g} job(s) still queued or running")
        memory_end = server.memory_mib()
        split_end = server.memory_split()
        if args.trace_memory:
            _snapshots(server, root / "probe", "end")
        probe = probe_report(
            root / "memory-steps.jsonl",
            root / "probe",
            t0_wall=time.time() - rec.now(),
            warm=next(t for t, what in events if what.startswith("warm-up over")),
            split=(split_start, split_end),
        )
        scrape = _scrape(server.url)
        check = _check_storage(env)
        event("storage check done")
        failures = [f for p in people for f in p.failures]
        text = report(
            rec,
            events,
            memory_start,
            memory_end,
            scrape,
            check,
            failures,
            trend,
            probe=probe,
            outage=_window(events),
            meta={
                "duration": f"{args.minutes:g} min",
                "workers": args.workers,
                "people": PEOPLE,
                "MinIO": "4 nodes × 2 drives, one erasure set (EC:4)",
                "started": datetime.now().isoformat(timespec="seconds"),
                "Python allocations traced": f"{args.trace_memory} frames"
                if args.trace_memory
                else "no",
            },
        )
        (RESULTS / "soak.md").write_text(text)
        print(text)
    except Exception:
        traceback.print_exc()
        raise SystemExit(1) from None
    finally:
        if worker is not None:
            worker.stop()
        if server is not None:
            server.stop()
        if minio is not None:
            minio.remove()
        if postgres is not None:
            postgres.remove()
        logs = RESULTS / "soak-artifacts"
        logs.mkdir(exist_ok=True)
        for name in ("gunicorn.log", "worker.log", "memory-steps.jsonl"):
            if (root / name).exists():
                shutil.copy(root / name, logs / name)
        shutil.rmtree(root, ignore_errors=True)


UPLOAD_JOIN_SECONDS = 330


def _sample_memory(server, rec, trend, stop, deadline) -> None:
    """Every 10 s: the workers' memory, to tell a plateau from a leak."""
    while time.monotonic() < deadline and not stop.is_set():
        trend.append((rec.now(), server.memory_mib()))
        stop.wait(10)


def _snapshots(server, folder: Path, label: str) -> None:
    """Ask every worker for a tracemalloc snapshot, and wait until each has written it."""
    (folder / f"snapshot-{label}").touch()
    wanted = [folder / f"{label}-{p.pid}.tracemalloc" for p in server.workers()]
    deadline = time.monotonic() + 120
    while not all(w.exists() for w in wanted) and time.monotonic() < deadline:
        # A worker takes its snapshot after its next request; sync workers share the socket.
        with contextlib.suppress(OSError):
            urllib.request.urlopen(server.url + "/healthz", timeout=10).close()  # noqa: S310
        time.sleep(0.05)


def _window(events) -> tuple[float, float]:
    start = next(t for t, what in events if what.startswith("PostgreSQL stopping"))
    end = next(t for t, what in events if what.startswith("PostgreSQL started"))
    return start, end + 2.0  # the requests already waiting when it came back


def _scrape(url: str) -> dict[str, float]:
    with urllib.request.urlopen(url + "/metrics", timeout=30) as response:  # noqa: S310
        text = response.read().decode()
    total = sum(
        float(m.group(1))
        for m in re.finditer(r"^registry_http_requests_total\{[^}]*\} ([0-9.e+]+)$", text, re.M)
    )
    stored = {
        m.group(1): float(m.group(2))
        for m in re.finditer(r'^registry_stored_files\{kind="(\w+)"\} ([0-9.e+]+)$', text, re.M)
    }
    jobs: dict[str, float] = {}
    for m in re.finditer(r'^registry_jobs\{[^}]*status="(\w+)"\} ([0-9.e+]+)$', text, re.M):
        jobs[m.group(1)] = jobs.get(m.group(1), 0) + float(m.group(2))
    return {
        "requests counted by /metrics": total,
        **{f"stored {k}": v for k, v in stored.items()},
        **{f"jobs {k}": v for k, v in jobs.items()},
    }


JOBS_DRAIN_SECONDS = 300


def _drain_queue(url: str, seconds: float) -> float:
    """Wait until the worker has taken every job (queued or running), up to `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        figures = _scrape(url)
        waiting = figures.get("jobs queued", 0) + figures.get("jobs running", 0)
        if waiting == 0 or time.monotonic() > deadline:
            return waiting
        time.sleep(5)


def _check_storage(env: dict[str, str]) -> str:
    try:
        out = flask_cli(env, "registry", "check-storage")
        return "exit 0: " + out.strip().splitlines()[-1]
    except Exception as error:  # noqa: BLE001
        output = getattr(error, "stdout", "") or ""
        return f"FAILED: {output.strip()[-2000:]}"


if __name__ == "__main__":
    main()
