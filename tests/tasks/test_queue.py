"""The task queue with a real worker process, on SQLite (embedded) and on PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.tasks import Job, enqueue
from registry.tasks.queue import get_huey, queue_url
from tests.tasks import jobs
from tests.workers import count, wait_until


def _job(job_id: int) -> Job:
    return db.session.get(Job, job_id)


def test_a_job_enqueued_in_a_committed_transaction_runs_in_the_worker(
    app, ctx, start_worker, tmp_path
):
    out = tmp_path / "out.txt"
    worker = start_worker()
    job_id = enqueue(jobs.note, str(out), "hello").id
    db.session.commit()
    done = wait_until(lambda: _job(job_id).status == "done", what="the job", log=lambda: worker.log)
    assert done
    assert jobs.lines(out) == ["hello attempt 1"]
    record = _job(job_id)
    assert record.attempts == 1 and record.finished_at is not None
    assert record.worker.split(":")[1] == str(worker.process.pid)


def test_a_rolled_back_transaction_leaves_no_job_and_nothing_on_the_queue(app, ctx):
    enqueue(jobs.note, "/nonexistent", "never")
    db.session.rollback()
    assert count(Job) == 0
    assert get_huey(app).pending_count() == 0


def test_a_job_that_fails_once_succeeds_on_retry(app, ctx, start_worker, tmp_path):
    out = tmp_path / "out.txt"
    worker = start_worker()
    job_id = enqueue(jobs.fails_once, str(out)).id
    db.session.commit()
    wait_until(lambda: _job(job_id).status == "done", what="the retry", log=lambda: worker.log)
    assert jobs.lines(out) == ["attempt 1", "attempt 2"]
    assert _job(job_id).attempts == 2
    assert "the first attempt fails on purpose" in worker.log


def test_a_job_failing_every_attempt_is_marked_failed_and_its_kind_is_told(
    app, ctx, start_worker, tmp_path
):
    out = tmp_path / "out.txt"
    worker = start_worker()
    job_id = enqueue(jobs.always_fails, str(out)).id
    db.session.commit()
    wait_until(lambda: _job(job_id).status == "failed", what="failure", log=lambda: worker.log)
    record = _job(job_id)
    assert record.attempts == 2
    assert "never works" in record.last_error
    assert jobs.lines(out) == ["attempt 1", "attempt 2", "gave up: ValueError: never works"]


def test_a_job_taken_by_a_killed_worker_is_run_by_the_next_worker(app, ctx, start_worker, tmp_path):
    out = tmp_path / "out.txt"
    first = start_worker()
    job_id = enqueue(jobs.slow_first_time, str(out)).id
    db.session.commit()
    wait_until(lambda: jobs.lines(out) == ["started attempt 1"], what="the first attempt")
    first.kill()
    assert _job(job_id).status == "running"

    second = start_worker()
    wait_until(lambda: _job(job_id).status == "done", what="the rerun", log=lambda: second.log)
    assert jobs.lines(out) == ["started attempt 1", "started attempt 2", "finished attempt 2"]
    assert _job(job_id).attempts == 2
    assert f"job {job_id} was left running by a stopped worker" in second.log


def test_jobs_committed_while_no_worker_runs_wait_for_the_next_worker(
    app, ctx, start_worker, tmp_path
):
    out = tmp_path / "out.txt"
    ids = [enqueue(jobs.note, str(out), f"job {n}").id for n in range(3)]
    db.session.commit()
    assert get_huey(app).pending_count() == 3
    worker = start_worker()
    wait_until(
        lambda: count(Job, Job.id.in_(ids), Job.status == "done") == 3,
        what="all three jobs",
        log=lambda: worker.log,
    )
    assert sorted(jobs.lines(out)) == ["job 0 attempt 1", "job 1 attempt 1", "job 2 attempt 1"]


def test_a_job_sent_twice_runs_once(app, ctx, start_worker, tmp_path):
    out = tmp_path / "out.txt"
    record = enqueue(jobs.note, str(out), "once")
    db.session.commit()
    get_huey(app)  # the same id handed over again, as a sweep after a lost send would
    app.extensions["registry_huey_task"](record.id)
    worker = start_worker()
    wait_until(lambda: _job(record.id).status == "done", what="the job", log=lambda: worker.log)
    wait_until(lambda: "is no longer waiting; skipped" in worker.log, what="the duplicate")
    assert jobs.lines(out) == ["once attempt 1"]


@pytest.mark.parametrize(
    ("database", "queue"),
    [
        ("sqlite:////srv/registry.sqlite3", "sqlite:///{instance}/tasks.sqlite3"),
        ("postgresql+psycopg://u:p@db/registry", "postgresql+psycopg://u:p@db/registry"),
    ],
)
def test_the_queue_lives_beside_the_database_unless_configured(database, queue):
    from registry import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "x"})
    assert queue_url(app) == queue.format(instance=app.instance_path)
    app.config["REGISTRY_TASK_QUEUE_URL"] = "sqlite:////var/queue.sqlite3"
    assert queue_url(app) == "sqlite:////var/queue.sqlite3"


def test_the_jobs_table_is_indexed_for_the_sweeps(app):
    with app.app_context():
        indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes("jobs")}
    assert "ix_jobs_status_heartbeat_at" in indexes


def test_the_worker_command_keeps_libvips_chatter_out_of_its_log(runner, monkeypatch):
    # libvips logs "threadpool completed" at INFO for every strip; the operator's log showed
    # it 44 times for the demo's samples alone.
    import logging

    from registry.tasks import worker

    monkeypatch.setattr(worker, "run_worker", lambda app, threads: None)
    monkeypatch.setattr(logging.getLogger("pyvips"), "level", logging.NOTSET)
    result = runner.invoke(args=["registry", "worker"])
    assert result.exit_code == 0, result.output
    assert logging.getLogger("pyvips").getEffectiveLevel() == logging.WARNING
