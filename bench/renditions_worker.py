"""The worker's part of an ingest: run the queued renditions jobs, one by one, timing each.

    .venv/bin/python -m bench.renditions_worker  ->  [{"seconds": …, "added_kib": …}, …]

Run with the app's environment, in its own process as `flask registry worker` would run the
job: fetch the original from the store, decode it in strips, store preview and thumbnail. The
memory is the process's peak resident size during the job over its size before it.
"""

import json
import time

import sqlalchemy as sa

from bench.common import reset_peak, status_kib
from registry import create_app
from registry.extensions import db
from registry.tasks.models import Job
from registry.tasks.queue import run_job

app = create_app()
with app.app_context():
    queued = db.session.scalars(
        sa.select(Job.id)
        .where(Job.name == "submissions.make_renditions", Job.status == "queued")
        .order_by(Job.id)
    ).all()
    db.session.remove()
results = []
for job_id in queued:
    idle = status_kib("self", "VmRSS")
    reset_peak("self")
    started = time.perf_counter()
    run_job(app, job_id)
    seconds = time.perf_counter() - started
    with app.app_context():
        status = db.session.get(Job, job_id).status
        db.session.remove()
    added = status_kib("self", "VmHWM") - idle
    results.append({"job": job_id, "status": status, "seconds": seconds, "added_kib": added})
print(json.dumps(results))
