"""The bench's own PostgreSQL and MinIO (started by .ci/services.sh, as CI starts them), and
gunicorn, on free loopback ports. Only processes started here are ever stopped here.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
SERVICES_SH = ROOT / ".ci" / "services.sh"
MINIO_BIN = (
    Path(os.environ.get("REGISTRY_CI_CACHE", Path.home() / ".cache/registry-ci")) / "bin/minio"
)
SECRET_KEY = "bench-" + secrets.token_hex(16)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
    """PostgreSQL and MinIO owned by this run: `bash .ci/services.sh start`, and its settings."""

    settings: dict[str, str] = field(default_factory=dict)

    def start(self) -> Services:
        printed = subprocess.run(
            ["bash", SERVICES_SH, "start"], check=True, stdout=subprocess.PIPE, text=True
        ).stdout
        self.settings = dict(line.split("=", 1) for line in printed.splitlines() if "=" in line)
        return self

    @property
    def root(self) -> Path:
        return Path(self.settings["REGISTRY_SERVICES_DIR"])

    def sql(self, statement: str) -> str:
        """Run one statement as the services' superuser; return the first value, if any."""
        engine = sa.create_engine(
            self.settings["REGISTRY_TEST_DATABASE_URL"], isolation_level="AUTOCOMMIT"
        )
        try:
            with engine.connect() as connection:
                result = connection.exec_driver_sql(statement)
                return str(result.scalar()) if result.returns_rows else ""
        finally:
            engine.dispose()

    def create_database(self, name: str) -> str:
        self.sql(f"DROP DATABASE IF EXISTS {name}")
        self.sql(f"CREATE DATABASE {name} OWNER registry")
        url = sa.engine.make_url(self.settings["REGISTRY_TEST_DATABASE_URL"]).set(database=name)
        return url.render_as_string(hide_password=False)

    def app_env(self, db_url: str, storage: str, **extra: str) -> dict[str, str]:
        """Environment for the app (gunicorn or in-process) on this run's services."""
        env = {
            "REGISTRY_DATABASE_URL": db_url,
            "SECRET_KEY": SECRET_KEY,
            "REGISTRY_STORAGE": storage,
            "REGISTRY_LOCAL_STORAGE_PATH": str(self.root / "local-store"),
            "REGISTRY_MINIO_ENDPOINT": self.settings["REGISTRY_TEST_MINIO_ENDPOINT"],
            "REGISTRY_MINIO_ACCESS_KEY": self.settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
            "REGISTRY_MINIO_SECRET_KEY": self.settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
            "REGISTRY_UPLOADS_BUCKET": "bench-uploads",
            "REGISTRY_APPROVED_BUCKET": "bench-approved",
        }
        return env | extra

    def stop(self) -> None:
        if self.settings:
            subprocess.run(["bash", SERVICES_SH, "stop", self.root], check=False)


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
