"""The soak's servers: PostgreSQL it can stop and start, MinIO on several loopback nodes
(erasure coded across them), gunicorn with metrics shared by its workers."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import psutil

from bench.services import MINIO_BIN, ROOT, SECRET_KEY, VENV_BIN, free_port, wait_until


def pg_bindir() -> Path:
    """The newest PostgreSQL server's tools from Debian's packages (as .ci/services.sh finds)."""
    dirs = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[4]))
    if not dirs:
        raise SystemExit("PostgreSQL is missing: run bash bench/soak/run (it installs it)")
    return dirs[-1].parent


class Postgres:
    """A cluster of the soak's own, stopped and started during the run."""

    def __init__(self, root: Path) -> None:
        self.data = root / "pg"
        self.data.mkdir()
        shutil.chown(self.data, "postgres")
        self.port = free_port()
        self._pg(
            "initdb",
            "-D",
            str(self.data / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        )
        self.start()
        self.psql("CREATE ROLE registry LOGIN SUPERUSER PASSWORD 'registry'")
        self.psql("CREATE DATABASE registry_soak OWNER registry")
        self.url = f"postgresql+psycopg://registry:registry@127.0.0.1:{self.port}/registry_soak"

    def _pg(self, tool: str, *args: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(pg_bindir() / tool), *args]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)

    def psql(self, sql: str) -> None:
        subprocess.run(
            [
                pg_bindir() / "psql",
                "-qAt",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=100"
        )
        self._pg(
            "pg_ctl",
            "-D",
            str(self.data / "data"),
            "-l",
            str(self.data / "server.log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", str(self.data / "data"), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")


class DistributedMinio:
    """MinIO as several server processes on loopback ports, one erasure set over all drives."""

    def __init__(self, root: Path, nodes: int = 4, drives: int = 2) -> None:
        self.root = root / "minio"
        self.ports = [free_port() for _ in range(nodes)]
        self.drives = drives
        self.access_key = "registry-soak"
        self.secret_key = "soak-" + secrets.token_hex(8)
        self.procs: dict[int, subprocess.Popen] = {}
        for i in range(nodes):
            for d in range(1, drives + 1):
                (self.root / f"n{i + 1}" / f"d{d}").mkdir(parents=True)
        try:
            for i in range(nodes):
                self.start_node(i)
            wait_until(self.healthy, "distributed MinIO", 120)
        except BaseException:
            self.remove()  # the caller never gets an object to stop: stop the nodes here
            raise

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.ports[0]}"  # the app talks to node 1; node 4 is the one lost

    def _endpoints(self) -> list[str]:
        # Every drive spelt out, no "{1...n}": one argument per node with an ellipsis would
        # make each node a pool of its own, and a lost node would take its objects with it.
        return [
            f"http://127.0.0.1:{port}{self.root}/n{i + 1}/d{d}"
            for i, port in enumerate(self.ports)
            for d in range(1, self.drives + 1)
        ]

    def start_node(self, i: int) -> None:
        env = os.environ | {
            "MINIO_ROOT_USER": self.access_key,
            "MINIO_ROOT_PASSWORD": self.secret_key,
            "MINIO_BROWSER": "off",
            "MINIO_UPDATE": "off",
            "MINIO_CI_CD": "1",
            # In a container MinIO waits for a loopback host to resolve to "a valid IP";
            # naming the node's own endpoint lets several nodes share 127.0.0.1.
            "_MINIO_SERVER_LOCAL": f"127.0.0.1:{self.ports[i]}",
        }
        log = open(self.root / f"n{i + 1}.log", "ab")  # noqa: SIM115 (kept open for the server)
        self.procs[i] = subprocess.Popen(
            [
                MINIO_BIN,
                "server",
                "--quiet",
                "--address",
                f"127.0.0.1:{self.ports[i]}",
                "--console-address",
                f"127.0.0.1:{free_port()}",
                *self._endpoints(),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def stop_node(self, i: int) -> None:
        proc = self.procs.pop(i)
        proc.send_signal(signal.SIGKILL)  # a node lost, not shut down politely
        proc.wait(30)

    def healthy(self, node: int = 0, what: str = "cluster") -> bool:
        url = f"http://127.0.0.1:{self.ports[node]}/minio/health/{what}"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (loopback)
                return response.status == 200
        except OSError:
            return False

    def remove(self) -> None:
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()


class Server:
    """gunicorn -w N, as the README's production line, with PROMETHEUS_MULTIPROC_DIR."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = os.environ | env
        self._log = open(log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                VENV_BIN / "gunicorn",
                "-c",
                "python:bench.soak.gunicorn_probe",  # the app's settings and a memory probe
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._ready, "gunicorn", 60)
        wait_until(lambda: len(self.workers()) == workers, "gunicorn workers")

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        with urllib.request.urlopen(self.url + "/healthz", timeout=5) as r:  # noqa: S310
            return r.status == 200

    def workers(self) -> list[psutil.Process]:
        return psutil.Process(self.proc.pid).children()

    def memory_mib(self) -> dict[str, float]:
        """Resident memory of the master and each worker, in MiB."""
        procs = {"master": psutil.Process(self.proc.pid)}
        procs |= {f"worker {p.pid}": p for p in self.workers()}
        return {name: p.memory_info().rss / 2**20 for name, p in procs.items()}

    def memory_split(self) -> dict[str, tuple[float, float]]:
        """Each worker's resident memory split into heap (RssAnon) and mapped files, in MiB."""
        split = {}
        for p in self.workers():
            text = Path(f"/proc/{p.pid}/status").read_text()
            anon, file = (
                int(re.search(rf"^{f}:\s+(\d+) kB", text, re.M).group(1)) / 1024
                for f in ("RssAnon", "RssFile")
            )
            split[f"worker {p.pid}"] = (anon, file)
        return split

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def scratch() -> Path:
    root = Path(tempfile.mkdtemp(prefix="registry-soak-"))
    root.chmod(0o755)
    return root


def app_env(root: Path, db_url: str, minio: DistributedMinio) -> dict[str, str]:
    metrics = root / "metrics"
    metrics.mkdir(exist_ok=True)
    probe = root / "probe"
    probe.mkdir(exist_ok=True)
    return {
        "REGISTRY_DATABASE_URL": db_url,
        "SECRET_KEY": SECRET_KEY,
        "REGISTRY_STORAGE": "minio",
        "REGISTRY_MINIO_ENDPOINT": minio.endpoint,
        "REGISTRY_MINIO_ACCESS_KEY": minio.access_key,
        "REGISTRY_MINIO_SECRET_KEY": minio.secret_key,
        "REGISTRY_UPLOADS_BUCKET": "soak-uploads",
        "REGISTRY_APPROVED_BUCKET": "soak-approved",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        "SOAK_MEMORY_LOG": str(root / "memory-steps.jsonl"),
        "SOAK_PROBE_DIR": str(probe),
        "REGISTRY_REQUEST_LOG": "true",
        # The soak's public all come from 127.0.0.1 but stand for many phones, each with its
        # own allowance: the per-address limit is raised, not switched off.
        "REGISTRY_VERIFY_RATE_LIMIT": "1000 per minute",
    }


def wait(seconds: float) -> None:
    time.sleep(seconds)


class Worker:
    """`flask registry worker`, the task queue's consumer, as ./scripts/serve runs it beside the
    web server (it reads the text on each uploaded version and cuts its deep-zoom pyramid)."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = open(log, "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [VENV_BIN / "flask", "--app", "wsgi", "registry", "worker"],
            cwd=ROOT,
            env=os.environ | env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()
