"""The bench's own PostgreSQL, MinIO and gunicorn, on free loopback ports in a temporary folder.

Started as .ci/services.sh does (Debian's PostgreSQL with fsync off, MinIO on four drives);
only processes started here are ever stopped here.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
MINIO_BIN = (
    Path(os.environ.get("REGISTRY_CI_CACHE", Path.home() / ".cache/registry-ci")) / "bin/minio"
)
SECRET_KEY = "bench-" + secrets.token_hex(16)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bindir() -> Path:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[4]))
    if not dirs:
        raise SystemExit("PostgreSQL is missing: run bash bench/run (it installs it)")
    return Path(dirs[-1])


def wait_until(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start in {seconds} s")


@dataclass
class Services:
    """PostgreSQL and MinIO owned by this run."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="registry-bench-")))
    pg_port: int = 0
    minio_port: int = 0
    minio_key: str = "registry-bench"
    minio_secret: str = field(default_factory=lambda: "bench-" + secrets.token_hex(8))
    _minio: subprocess.Popen | None = None

    def start(self) -> Services:
        self.root.chmod(0o755)
        self._start_postgres()
        self._start_minio()
        return self

    def _start_postgres(self) -> None:
        bindir, data = pg_bindir(), self.root / "pg"
        data.mkdir()
        shutil.chown(data, "postgres")
        self.pg_port = free_port()
        as_pg = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            [
                *as_pg,
                bindir / "initdb",
                "-D",
                data / "data",
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {self.pg_port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *as_pg,
                bindir / "pg_ctl",
                "-D",
                data / "data",
                "-l",
                data / "server.log",
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.psql("CREATE ROLE registry LOGIN SUPERUSER PASSWORD 'registry'")

    def psql(self, sql: str, db: str = "postgres") -> str:
        return subprocess.run(
            [
                pg_bindir() / "psql",
                "-qAt",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.pg_port),
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    def create_database(self, name: str) -> str:
        self.psql(f"DROP DATABASE IF EXISTS {name}")
        self.psql(f"CREATE DATABASE {name} OWNER registry")
        return f"postgresql+psycopg://registry:registry@127.0.0.1:{self.pg_port}/{name}"

    def _start_minio(self) -> None:
        if not MINIO_BIN.exists():
            raise SystemExit(f"MinIO is missing at {MINIO_BIN}: run bash bench/run (it builds it)")
        drives = [self.root / "minio" / f"d{i}" for i in range(1, 5)]
        for d in drives:
            d.mkdir(parents=True)
        self.minio_port = free_port()
        env = os.environ | {
            "MINIO_ROOT_USER": self.minio_key,
            "MINIO_ROOT_PASSWORD": self.minio_secret,
            "MINIO_BROWSER": "off",
            "MINIO_UPDATE": "off",
            "MINIO_CI_CD": "1",
        }
        log = open(self.root / "minio.log", "wb")  # noqa: SIM115 (kept open for the server)
        self._minio = subprocess.Popen(
            [
                MINIO_BIN,
                "server",
                "--quiet",
                "--address",
                f"127.0.0.1:{self.minio_port}",
                "--console-address",
                f"127.0.0.1:{free_port()}",
                *drives,
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        health = f"http://127.0.0.1:{self.minio_port}/minio/health/ready"
        wait_until(lambda: urllib.request.urlopen(health, timeout=2).status == 200, "MinIO")

    def app_env(self, db_url: str, storage: str, **extra: str) -> dict[str, str]:
        """Environment for the app (gunicorn or in-process) on this run's services."""
        env = {
            "REGISTRY_DATABASE_URL": db_url,
            "SECRET_KEY": SECRET_KEY,
            "REGISTRY_STORAGE": storage,
            "REGISTRY_LOCAL_STORAGE_PATH": str(self.root / "local-store"),
            "REGISTRY_MINIO_ENDPOINT": f"127.0.0.1:{self.minio_port}",
            "REGISTRY_MINIO_ACCESS_KEY": self.minio_key,
            "REGISTRY_MINIO_SECRET_KEY": self.minio_secret,
            "REGISTRY_UPLOADS_BUCKET": "bench-uploads",
            "REGISTRY_APPROVED_BUCKET": "bench-approved",
        }
        return env | extra

    def stop(self) -> None:
        if self._minio is not None:
            self._minio.terminate()
            self._minio.wait(30)
        if (self.root / "pg" / "data").exists():
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    pg_bindir() / "pg_ctl",
                    "-D",
                    self.root / "pg" / "data",
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                check=False,
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def flask_cli(env: dict[str, str], *args: str) -> str:
    """Run `flask --app wsgi …` against the given environment."""
    return subprocess.run(
        [VENV_BIN / "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=os.environ | env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


class Gunicorn:
    """gunicorn wsgi:app with N sync workers on a free port (as the README's production line)."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "ab")  # noqa: SIM115
        # --timeout 600: the default 30 s kills a sync worker during a 1 GiB upload or a big ZIP
        # on this machine; the durations are reported so the lead can size it for production.
        self.proc = subprocess.Popen(
            [
                VENV_BIN / "gunicorn",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "600",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=os.environ | env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        wait_until(self._ready, "gunicorn")
        wait_until(lambda: len(self.workers()) == workers, "gunicorn workers")

    def _ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log")
        with urllib.request.urlopen(self.url + "/login", timeout=5) as r:  # noqa: S310 (loopback)
            return r.status == 200

    def workers(self) -> list[int]:
        return [p.pid for p in psutil.Process(self.proc.pid).children()]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self._log.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
