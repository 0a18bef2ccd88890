"""A real worker process (`flask --app wsgi registry worker`) on the test app's stack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from registry.extensions import db

ROOT = Path(__file__).resolve().parents[1]


def worker_env(app, **extra: str) -> dict[str, str]:
    """The environment that gives a worker process the same stack as the test app."""
    config = app.config
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": config["SECRET_KEY"],
        "REGISTRY_STORAGE": config["REGISTRY_STORAGE"],
        "REGISTRY_LOCAL_STORAGE_PATH": config["REGISTRY_LOCAL_STORAGE_PATH"],
        "REGISTRY_UPLOADS_BUCKET": config["REGISTRY_UPLOADS_BUCKET"],
        "REGISTRY_APPROVED_BUCKET": config["REGISTRY_APPROVED_BUCKET"],
        "REGISTRY_MINIO_ENDPOINT": config["REGISTRY_MINIO_ENDPOINT"],
        "REGISTRY_MINIO_ACCESS_KEY": config["REGISTRY_MINIO_ACCESS_KEY"],
        "REGISTRY_MINIO_SECRET_KEY": config["REGISTRY_MINIO_SECRET_KEY"],
        "REGISTRY_TASK_IMPORTS": "tests.tasks.jobs",
        "REGISTRY_TASK_STALE_SECONDS": "2",
        "REGISTRY_TASK_RETRY_SECONDS": "0.5",
        "PYTHONPATH": str(ROOT),
    }
    if config.get("REGISTRY_TASK_QUEUE_URL"):
        env["REGISTRY_TASK_QUEUE_URL"] = config["REGISTRY_TASK_QUEUE_URL"]
    env.update(extra)
    return env


class Worker:
    """A worker subprocess; its log is kept for the assertion messages."""

    def __init__(self, app, log_path: Path, **extra: str) -> None:
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "registry", "worker"],
            cwd=ROOT,
            env=worker_env(app, **extra),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.wait_for_log("started")

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log:
            if self.process.poll() is not None:
                raise AssertionError(f"worker exited ({self.process.returncode}):\n{self.log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"worker log never said {text!r}:\n{self.log}")
            time.sleep(0.1)

    def kill(self) -> None:
        """Kill the process as the OOM killer or a power cut would: no chance to clean up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()


def wait_until(predicate, timeout: float = 60, what: str = "condition", log=None):
    """Poll the database (as the test's session sees it) until the predicate holds."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()
        db.session.expire_all()
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            extra = f"\nworker log:\n{log()}" if log else ""
            raise AssertionError(f"timed out waiting for {what}{extra}")
        time.sleep(0.2)


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
