"""The task queue: Huey carries job ids between processes; the jobs table says where each
job stands, so that a job taken by a worker that died is found and run again."""

from __future__ import annotations

import contextvars
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_sqlalchemy.session import Session
from huey import PostgresHuey, SqliteHuey
from huey.exceptions import RetryTask

from registry.db import utcnow
from registry.extensions import db
from registry.storage.service import discard_unclaimed_objects
from registry.tasks.models import Job

log = logging.getLogger("registry.tasks")

HUEY_TASK = "registry.run_job"
#: Modules whose jobs every process knows (the web process enqueues them, the worker runs them).
BUILTIN_JOB_MODULES = (
    "registry.textcheck.jobs",
    "registry.submissions.tiles",
    "registry.submissions.renditions",
    "registry.notifications.jobs",
)
_TO_SEND = "registry_jobs_to_send"
_current_job: contextvars.ContextVar[Job | None] = contextvars.ContextVar("job", default=None)


@dataclass(frozen=True)
class JobSpec:
    """A kind of job: the function that does it and what to do when every attempt failed."""

    name: str
    func: Callable
    max_attempts: int | None = None
    on_failure: Callable | None = None


JOBS: dict[str, JobSpec] = {}


def job(name: str, *, max_attempts: int | None = None, on_failure: Callable | None = None):
    """Register a function as a kind of job; it runs in an app context and only flushes.

    ``on_failure(*args, error=message)`` runs (and is committed) once the last attempt failed.
    """

    def decorator(func: Callable) -> Callable:
        JOBS[name] = JobSpec(name, func, max_attempts, on_failure)
        func.job_name = name  # type: ignore[attr-defined]
        return func

    return decorator


def current_job() -> Job | None:
    """The job being run by this thread, if any."""
    return _current_job.get()


def enqueue(kind: str | Callable, *args, max_attempts: int | None = None) -> Job:
    """Record a job (flushed with the caller's work) and send it to the queue after commit.

    A transaction that rolls back sends nothing, so a failed upload leaves no job behind.
    """
    name = getattr(kind, "job_name", kind)
    if name not in JOBS:
        raise KeyError(f"unknown job {name!r}")
    spec = JOBS[name]
    attempts = max_attempts or spec.max_attempts or current_app.config["REGISTRY_TASK_MAX_ATTEMPTS"]
    record = Job(name=name, args=list(args), status="queued", max_attempts=attempts)
    db.session.add(record)
    db.session.flush()
    send_after_commit([record.id])
    return record


def send_after_commit(job_ids: list[int]) -> None:
    """Hand these jobs to the queue once the current transaction commits."""
    db.session.info.setdefault(_TO_SEND, []).extend(job_ids)


def _after_commit(session) -> None:
    ids = session.info.pop(_TO_SEND, None)
    if not ids or not has_app_context():
        return
    try:
        send(current_app, ids)
    except Exception:  # the work is committed; the worker's start-up sweep sends it later
        log.exception("could not hand jobs %s to the queue", ids)


def _after_rollback(session) -> None:
    session.info.pop(_TO_SEND, None)


def send(app: Flask, job_ids: list[int]) -> None:
    """Put job ids on the queue and note when each was sent."""
    get_huey(app)
    run = app.extensions["registry_huey_task"]
    for job_id in job_ids:
        run(job_id)
    with db.engine.begin() as connection:
        connection.execute(sa.update(Job).where(Job.id.in_(job_ids)).values(sent_at=utcnow()))


def queue_url(app: Flask) -> str:
    """The queue's storage: REGISTRY_TASK_QUEUE_URL, else beside the database."""
    config = app.config
    url = config.get("REGISTRY_TASK_QUEUE_URL")
    if url:
        return url
    database = sa.engine.make_url(config["SQLALCHEMY_DATABASE_URI"])
    if database.get_backend_name() == "postgresql":
        return config["SQLALCHEMY_DATABASE_URI"]
    return "sqlite:///" + str(Path(app.instance_path) / "tasks.sqlite3")


def build_huey(app: Flask):
    """A Huey on SQLite (embedded default, no server) or on PostgreSQL (several machines)."""
    url = sa.engine.make_url(queue_url(app))
    backend = url.get_backend_name()
    if backend == "sqlite":
        path = Path(url.database or "tasks.sqlite3")
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("registry", filename=str(path), results=False, timeout=30)
    elif backend == "postgresql":
        dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        huey = PostgresHuey("registry", dsn=dsn, results=False)
    else:
        raise ValueError("REGISTRY_TASK_QUEUE_URL must be sqlite:///… or postgresql://…")

    @huey.task(name=HUEY_TASK)
    def run(job_id: int) -> None:
        run_job(app, job_id)

    app.extensions["registry_huey_task"] = run
    return huey


def get_huey(app: Flask):
    """The app's Huey, built on first use (so that forked web workers each open their own)."""
    huey = app.extensions.get("registry_huey")
    if huey is None:
        huey = app.extensions["registry_huey"] = build_huey(app)
    return huey


def run_job(app: Flask, job_id: int) -> None:
    """Claim the job, run it, and record the outcome; a failure is retried while attempts last."""
    with app.app_context():
        record: Job | None = _claim(app, job_id)
        if record is None:
            return
        spec = JOBS.get(record.name)
        token = _current_job.set(record)
        try:
            if spec is None:
                raise LookupError(f"no job called {record.name!r} is registered in this worker")
            spec.func(*record.args)
            record.status = "done"
            record.finished_at = utcnow()
            record.last_error = None
            db.session.commit()
            log.info("job %s (%s) done after %s attempt(s)", job_id, record.name, record.attempts)
            return
        except Exception as error:
            db.session.rollback()
            # Objects the job stored are not claimed by the commit that records the failure.
            discard_unclaimed_objects()
            message = "".join(traceback.format_exception_only(error)).strip()[:2000]
            log.exception("job %s (%s) failed", job_id, record.name)
            delay = _record_failure(app, job_id, spec, message)
        finally:
            _current_job.reset(token)
            db.session.remove()
    if delay is not None:
        raise RetryTask(f"retry job {job_id}", delay=delay)


def _claim(app: Flask, job_id: int) -> Job | None:
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(
            status="running",
            attempts=Job.attempts + 1,
            worker=app.extensions.get("registry_worker_id", "inline"),
            started_at=now,
            heartbeat_at=now,
            run_after=None,
        )
    ).rowcount
    db.session.commit()
    if not claimed:
        log.info("job %s is no longer waiting; skipped", job_id)
        return None
    return db.session.get(Job, job_id)


def _record_failure(app: Flask, job_id: int, spec: JobSpec | None, message: str) -> int | None:
    """Mark the job for a retry (returning the delay in seconds) or as failed for good."""
    record: Job = db.session.get(Job, job_id)
    record.last_error = message
    if record.attempts < record.max_attempts and spec is not None:
        delay = int(app.config["REGISTRY_TASK_RETRY_SECONDS"]) * record.attempts
        record.status = "queued"
        record.run_after = utcnow() + timedelta(seconds=delay)
        db.session.commit()
        return delay
    fail_job(record, message, spec)
    db.session.commit()
    return None


def fail_job(record: Job, message: str, spec: JobSpec | None = None) -> None:
    """Mark a job as failed for good and let its kind record what that means (flushes)."""
    spec = spec or JOBS.get(record.name)
    record.status = "failed"
    record.last_error = message
    record.finished_at = utcnow()
    if spec is not None and spec.on_failure is not None:
        spec.on_failure(*record.args, error=message)
    db.session.flush()


def init_app(app: Flask) -> None:
    """Send jobs after commit; import the modules that define jobs."""
    if not sa.event.contains(Session, "after_commit", _after_commit):
        sa.event.listen(Session, "after_commit", _after_commit)
        sa.event.listen(Session, "after_rollback", _after_rollback)
    import importlib

    for module in (*BUILTIN_JOB_MODULES, *app.config["REGISTRY_TASK_IMPORTS"]):
        importlib.import_module(module)
