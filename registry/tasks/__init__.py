"""Background work on a task queue (Huey), with each job's state kept in the database."""

from registry.tasks.models import Job
from registry.tasks.queue import current_job, enqueue, init_app, job

__all__ = ["Job", "current_job", "enqueue", "init_app", "job"]
