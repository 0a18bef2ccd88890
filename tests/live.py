"""A real registry served by gunicorn on loopback over PostgreSQL and MinIO, as users and API
clients meet it (the browser journeys and the API fuzzer run against it)."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.services import DATABASE_KEY, MINIO_KEYS, require_services

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-trinh-duyet"
ARTIFACTS = ROOT / "test-artifacts"
USERS = {  # username: (role, unit)
    "tk.longxuyen": ("designer", "30307"),
    "cv.qlvh": ("reviewer", "SVHTT-QLVH"),
    "ubnd.longxuyen": ("locality", "30307"),
    "ubnd.binhduc": ("locality", "30292"),
    "quantri": ("admin", "SVHTT-VP"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


class LiveRegistry:
    """The app as users meet it: gunicorn with two workers, PostgreSQL, MinIO."""

    def __init__(self, env: dict[str, str], url: str, database_url: str):
        self.env, self.url, self.database_url = env, url, database_url

    def flask(self, *args: str) -> str:
        result = subprocess.run(
            [_bin("flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout


@contextmanager
def serve_registry(
    name: str,
    users: dict[str, tuple[str, ...]],
    log_name: str | None = None,
    extra_env: dict[str, str] | None = None,
) -> Iterator[LiveRegistry]:
    """Serve a fresh registry (its own database and buckets) with these accounts (username:
    (role, unit[, full name])), all with PASSWORD, and `extra_env` (REGISTRY_* settings) besides;
    everything is removed afterwards. gunicorn logs to test-artifacts/NAME.log."""
    log_name = log_name or f"{name}.log"
    settings = require_services(DATABASE_KEY, *MINIO_KEYS)
    tag = secrets.token_hex(4)
    base = sa.engine.make_url(settings[DATABASE_KEY])
    database = f"registry_{name}_{tag}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{database}"'))
    database_url = base.set(database=database).render_as_string(hide_password=False)
    port = _free_port()
    env = {
        **os.environ,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_STORAGE": "minio",
        "REGISTRY_MINIO_ENDPOINT": settings["REGISTRY_TEST_MINIO_ENDPOINT"],
        "REGISTRY_MINIO_ACCESS_KEY": settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
        "REGISTRY_MINIO_SECRET_KEY": settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
        "REGISTRY_UPLOADS_BUCKET": f"{name}-{tag}-uploads",
        "REGISTRY_APPROVED_BUCKET": f"{name}-{tag}-approved",
        "SECRET_KEY": secrets.token_hex(16),
        "REGISTRY_UPLOAD_STAGING_PATH": tempfile.mkdtemp(prefix=f"registry-{name}-staging-"),
        **(extra_env or {}),
    }
    live = LiveRegistry(env, f"http://127.0.0.1:{port}", database_url)
    live.flask("registry", "init")
    for username, (role, unit, *full_name) in users.items():
        live.flask(
            "registry",
            "create-user",
            username,
            "--role",
            role,
            "--unit",
            unit,
            "--password",
            PASSWORD,
            *(["--full-name", full_name[0]] if full_name else []),
        )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 (closed in finally)
    server = subprocess.Popen(
        [_bin("gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Previews follow each upload in a worker: this one makes only them (see its docstring).
    renditions = subprocess.Popen(
        [sys.executable, "-m", "tests.renditions_runner"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{live.url}/login", timeout=2).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer; see test-artifacts/{log_name}")
        yield live
    finally:
        renditions.terminate()
        renditions.wait(20)
        server.terminate()
        server.wait(20)
        log.close()
        _drop(admin, database)
        _remove_buckets(env)
        shutil.rmtree(env["REGISTRY_UPLOAD_STAGING_PATH"], ignore_errors=True)


def _drop(admin, database: str) -> None:
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{database}" WITH (FORCE)'))
    admin.dispose()


def _remove_buckets(env: dict[str, str]) -> None:
    from minio import Minio
    from minio.deleteobjects import DeleteObject

    client = Minio(
        env["REGISTRY_MINIO_ENDPOINT"],
        env["REGISTRY_MINIO_ACCESS_KEY"],
        env["REGISTRY_MINIO_SECRET_KEY"],
        secure=False,
    )
    for bucket in (env["REGISTRY_UPLOADS_BUCKET"], env["REGISTRY_APPROVED_BUCKET"]):
        if not client.bucket_exists(bucket):
            continue
        objects = client.list_objects(bucket, recursive=True, include_version=True)
        doomed = [DeleteObject(o.object_name, o.version_id) for o in objects]
        list(client.remove_objects(bucket, doomed, bypass_governance_mode=True))
        client.remove_bucket(bucket)
