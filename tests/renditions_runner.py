"""Run a served test registry's renditions jobs as soon as they are queued: a worker that does
nothing else, so that browser journeys and API fuzzing see previews as users do while the text
reading and the pyramids stay queued (tests start a real worker when they want those).

Run as `python -m tests.renditions_runner` with the registry's REGISTRY_* environment.
"""

from __future__ import annotations

import contextlib
import time

import sqlalchemy as sa
from huey.exceptions import RetryTask

from registry import create_app
from registry.extensions import db
from registry.tasks.models import Job
from registry.tasks.queue import run_job

JOB = "submissions.make_renditions"


def main() -> None:
    app = create_app()
    while True:
        with app.app_context():
            queued = db.session.scalars(
                sa.select(Job.id).where(Job.name == JOB, Job.status == "queued").order_by(Job.id)
            ).all()
            db.session.remove()
        for job_id in queued:
            with contextlib.suppress(RetryTask):  # queued again; picked up on a later round
                run_job(app, job_id)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
