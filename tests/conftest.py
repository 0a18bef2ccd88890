"""App, client and factory fixtures; every app test runs on SQLite + LocalStore and on
PostgreSQL + MinIO (the `stack` parameter)."""

from __future__ import annotations

import contextlib
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from minio import Minio
from minio.deleteobjects import DeleteObject
from sqlalchemy import event
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from registry import create_app, refcache
from registry.extensions import db
from registry.refdata import load_reference_data
from registry.storage import LocalStore
from tests.services import DATABASE_KEY, MINIO_KEYS, require_services

pytest_plugins = ["tests.factories"]

SECRET = "test-secret-key-not-for-production"


def _embedded_config(tmp: Path) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'registry.sqlite3'}",
        "REGISTRY_STORAGE": "local",
        "REGISTRY_LOCAL_STORAGE_PATH": str(tmp / "storage"),
        "REGISTRY_UPLOAD_STAGING_PATH": str(tmp / "uploads-staging"),
        "REGISTRY_TASK_QUEUE_URL": f"sqlite:///{tmp / 'tasks.sqlite3'}",
    }


def _services_config() -> dict:
    settings = require_services(DATABASE_KEY, *MINIO_KEYS)
    tag = f"app-{secrets.token_hex(3)}"
    return {
        "SQLALCHEMY_DATABASE_URI": settings[DATABASE_KEY],
        "REGISTRY_STORAGE": "minio",
        "REGISTRY_MINIO_ENDPOINT": settings["REGISTRY_TEST_MINIO_ENDPOINT"],
        "REGISTRY_MINIO_ACCESS_KEY": settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
        "REGISTRY_MINIO_SECRET_KEY": settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
        "REGISTRY_UPLOADS_BUCKET": f"{tag}-uploads",
        "REGISTRY_APPROVED_BUCKET": f"{tag}-approved",
    }


class IsolatedClient(FlaskClient):
    """A test client whose requests each get their own app context, as in production.

    Without this, a request made while the test holds an app context reuses it: `g`, the
    signed-in user and the database session would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        # Streamed bodies are read inside the request's own context, before returning.
        kwargs.setdefault("buffered", True)
        token = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(token)
            if _cv_app.get(None) is not None:
                db.session.expire_all()  # the test's own session reads what requests wrote


@pytest.fixture(scope="session", params=["embedded", "services"])
def app(request, tmp_path_factory):
    """One app per stack: SQLite + LocalStore, or PostgreSQL + MinIO."""
    tmp = tmp_path_factory.mktemp(request.param)
    stack = _embedded_config(tmp) if request.param == "embedded" else _services_config()
    stack.setdefault("REGISTRY_UPLOAD_STAGING_PATH", str(tmp / "uploads-staging"))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": SECRET,
            "REGISTRY_STACK": request.param,
            # Still scrypt, at a cost that keeps hundreds of test accounts quick.
            "REGISTRY_PASSWORD_HASH": "scrypt:2048:8:1",
            **stack,
        }
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        store = app.extensions["registry_store"]
        store.ensure_buckets()
    yield app
    if "registry_huey" in app.extensions:
        app.extensions["registry_huey"].storage.close()
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
        if request.param == "services":
            _remove_minio_buckets(app)


def wipe_store(app) -> None:
    """Remove every object of both areas (and every version, past any retention)."""
    store = app.extensions["registry_store"]
    if isinstance(store, LocalStore):
        shutil.rmtree(app.config["REGISTRY_LOCAL_STORAGE_PATH"], ignore_errors=True)
        store.ensure_buckets()
        return
    client = _minio_client(app)
    for bucket in (app.config["REGISTRY_UPLOADS_BUCKET"], app.config["REGISTRY_APPROVED_BUCKET"]):
        versions = client.list_objects(bucket, recursive=True, include_version=True)
        doomed = [DeleteObject(o.object_name, o.version_id) for o in versions]
        if doomed:
            errors = list(client.remove_objects(bucket, doomed, bypass_governance_mode=True))
            assert not errors, errors


def wipe_queue(app) -> None:
    """Drop every message left on the task queue (their job rows are gone with the database)."""
    huey = app.extensions.get("registry_huey")
    if huey is not None:
        huey.flush()


def _minio_client(app) -> Minio:
    return Minio(
        app.config["REGISTRY_MINIO_ENDPOINT"],
        app.config["REGISTRY_MINIO_ACCESS_KEY"],
        app.config["REGISTRY_MINIO_SECRET_KEY"],
        secure=False,
    )


def _remove_minio_buckets(app) -> None:
    wipe_store(app)
    client = _minio_client(app)
    for bucket in (app.config["REGISTRY_UPLOADS_BUCKET"], app.config["REGISTRY_APPROVED_BUCKET"]):
        if client.bucket_exists(bucket):
            client.remove_bucket(bucket)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo everything written inside: the app's sessions (each request's own included) join
    one transaction of one connection through savepoints, and it is rolled back at the end.

    Needs an app context. Objects written to the store stay; wipe_store removes them.
    """
    connection = db.engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins transactions on its own and so breaks SAVEPOINT; let SQLAlchemy do it.
        connection.connection.driver_connection.isolation_level = None
        event.listen(connection, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    transaction = connection.begin()
    db.session.remove()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FlaskSession, "get_bind", lambda self, *args, **kwargs: connection)
        patch.setitem(db.session.session_factory.kw, "join_transaction_mode", "create_savepoint")
        try:
            yield
        finally:
            db.session.remove()
            transaction.rollback()
            refcache.forget(current_app)
            if sqlite:
                connection.invalidate()  # its isolation level was changed: not for the pool
            connection.close()


def wipe_database() -> None:
    """Delete every row, children first (faster than recreating the schema)."""
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
    db.session.commit()
    refcache.forget(current_app)


RENDITIONS_JOB = "submissions.make_renditions"
_RENDITIONS = {"at_once": True}


@pytest.fixture(scope="session", autouse=True)
def renditions_at_once() -> Iterator[None]:
    """Previews and thumbnails are made as soon as an upload commits, as by an idle worker.

    The job runs in its own app context, exactly as the worker runs it; the other jobs (text
    reading, pyramids) stay queued. A test that asks for `renditions_queued` sees them pending.
    """
    from huey.exceptions import RetryTask

    from registry.tasks import queue
    from registry.tasks.models import Job

    real_send = queue.send

    def send(app, job_ids: list[int]) -> None:
        real_send(app, job_ids)
        if not _RENDITIONS["at_once"]:
            return
        with app.app_context():
            ours = db.session.scalars(
                sa.select(Job.id).where(Job.id.in_(job_ids), Job.name == RENDITIONS_JOB)
            ).all()
            db.session.remove()
        for job_id in ours:
            with contextlib.suppress(RetryTask):  # recorded as queued again, as in the worker
                queue.run_job(app, job_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(queue, "send", send)
        yield


@pytest.fixture
def renditions_queued() -> Iterator[None]:
    """Leave the renditions job on the queue, as while the worker is busy."""
    _RENDITIONS["at_once"] = False
    try:
        yield
    finally:
        _RENDITIONS["at_once"] = True


@pytest.fixture
def ctx(app) -> Iterator[None]:
    """An app context over a database holding just the reference data, and empty stores."""
    with app.app_context():
        load_reference_data()
        db.session.commit()
        try:
            yield
        finally:
            db.session.rollback()
            wipe_database()
            wipe_store(app)
            wipe_queue(app)


@pytest.fixture
def client(app, ctx):
    return app.test_client()


@pytest.fixture
def runner(app, ctx):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str = "/login") -> str:
    """Read a CSRF token out of a page, as a browser would."""
    html = client.get(url).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def stored_keys(app, area: str) -> set[str]:
    """Every key in a store area, to prove that nothing extra was left behind."""
    store = app.extensions["registry_store"]
    return {info.key for info in store.list(area)}


def post_multipart(client, url: str, fields: dict, **kwargs):
    """POST a multipart body built in memory (the test client's own spooling leaks temp files
    for bodies over 500 KB)."""
    values = {
        k: FileStorage(stream=v[0], filename=v[1]) if isinstance(v, tuple) else v
        for k, v in fields.items()
    }
    boundary, body = encode_multipart(values)
    return client.post(
        url, data=body, content_type=f"multipart/form-data; boundary={boundary}", **kwargs
    )
