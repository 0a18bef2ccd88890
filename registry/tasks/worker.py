"""The worker: `flask --app wsgi registry worker` runs Huey's consumer on the registry's jobs,
beats a heartbeat for the jobs it runs and sends again those whose worker went quiet."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import timedelta

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import signals

from registry.db import utcnow
from registry.extensions import db
from registry.tasks.models import Job
from registry.tasks.queue import fail_job, get_huey, send_after_commit

log = logging.getLogger("registry.tasks")


def requeue_stale(app: Flask, *, startup: bool = False) -> list[int]:
    """Send again the running jobs whose worker stopped beating (and, at start-up, the queued
    jobs that were never handed over); a job out of attempts is marked failed. Commits."""
    stale = timedelta(seconds=float(app.config["REGISTRY_TASK_STALE_SECONDS"]))
    now = utcnow()
    cutoff = now - stale
    resend: list[int] = []
    quiet = db.session.scalars(
        sa.select(Job).where(Job.status == "running", Job.heartbeat_at < cutoff)
    ).all()
    for record in quiet:
        # Several workers may sweep at once: only the one whose update lands takes the job.
        taken = db.session.execute(
            sa.update(Job)
            .where(Job.id == record.id, Job.status == "running", Job.heartbeat_at < cutoff)
            .values(status="queued", worker=None)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not taken:
            continue
        db.session.refresh(record)
        if record.attempts >= record.max_attempts:
            fail_job(
                record,
                # The job's stored record, kept as written (Vietnamese), like the audit log.
                f"Tiến trình xử lý dừng giữa chừng {record.attempts} lần "  # not interface: record
                f"(lần cuối lúc {record.heartbeat_at:%H:%M:%S} UTC).",  # not interface: record
            )
            log.warning("job %s failed: its worker stopped %s times", record.id, record.attempts)
        else:
            resend.append(record.id)
            log.warning("job %s was left running by a stopped worker; sent again", record.id)
    if startup:
        unsent = db.session.scalars(
            sa.select(Job.id).where(
                Job.status == "queued",
                sa.or_(Job.sent_at.is_(None), Job.sent_at < cutoff),
                sa.or_(Job.run_after.is_(None), Job.run_after < now),
            )
        ).all()
        resend.extend(unsent)
    send_after_commit(resend)
    db.session.commit()
    return resend


def _beat(app: Flask) -> None:
    db.session.execute(
        sa.update(Job)
        .where(Job.status == "running", Job.worker == app.extensions["registry_worker_id"])
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


class Watchman(threading.Thread):
    """Beats the heartbeat of this worker's running jobs and sweeps for stale ones."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="registry-watchman", daemon=True)
        self.app = app
        self.stopped = threading.Event()
        self.interval = max(float(app.config["REGISTRY_TASK_STALE_SECONDS"]) / 4, 0.2)

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                with self.app.app_context():
                    _beat(self.app)
                    requeue_stale(self.app)
                    db.session.remove()
            except Exception:  # a database hiccup must not stop the heartbeat for good
                log.exception("heartbeat failed")


def run_worker(app: Flask, threads: int | None = None) -> None:
    """Run the consumer until SIGINT (finish running jobs) or SIGTERM (stop now)."""
    app.extensions["registry_worker_id"] = (
        f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"[:120]
    )
    # Tesseract's own threads would fight the worker threads for the same cores.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    huey = get_huey(app)
    log.info("worker %s started", app.extensions["registry_worker_id"])
    requeue_stale(app, startup=True)
    db.session.remove()

    @huey.signal(signals.SIGNAL_INTERRUPTED)
    def _interrupted(signal, task, *args, **kwargs):
        """A job cut off by a stop goes back to the queue at once, not after the stale delay."""
        job_id = task.args[0] if task.args else None
        with app.app_context():
            taken = db.session.execute(
                sa.update(Job)
                .where(Job.id == job_id, Job.status == "running")
                .values(status="queued", worker=None)
            ).rowcount
            if taken:
                send_after_commit([job_id])
            db.session.commit()

    watchman = Watchman(app)
    watchman.start()
    consumer = huey.create_consumer(
        workers=threads or int(app.config["REGISTRY_TASK_WORKERS"]),
        worker_type="thread",
        periodic=False,
        max_delay=1.0,
    )
    try:
        consumer.run()
    finally:
        watchman.stopped.set()


@click.command("worker")
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help="Số luồng xử lý (mặc định theo cấu hình).",  # not interface: operator command
)
@with_appcontext
def worker_command(threads: int | None) -> None:
    """Run the background worker (OCR and other slow work) until stopped."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # libvips says "threadpool completed" at INFO for every strip it shrinks: not news.
    logging.getLogger("pyvips").setLevel(logging.WARNING)
    run_worker(current_app._get_current_object(), threads)  # noqa: SLF001
