"""Background jobs as the registry records them: the queue carries only a job's id."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.db import Base, enum_check, utcnow

JOB_STATUSES = {
    "queued": _l("Đang chờ"),
    "running": _l("Đang chạy"),
    "done": _l("Xong"),
    "failed": _l("Lỗi"),
}


class Job(Base):
    """One piece of slow work: its name, arguments, attempts and where it stands."""

    __tablename__ = "jobs"
    __table_args__ = (
        enum_check("status", JOB_STATUSES),
        # The worker's sweeps: running jobs by heartbeat, queued jobs by last send.
        sa.Index("ix_jobs_status_heartbeat_at", "status", "heartbeat_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(64))
    args: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="queued")
    attempts: so.Mapped[int] = so.mapped_column(default=0)
    max_attempts: so.Mapped[int] = so.mapped_column(default=3)
    last_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    worker: so.Mapped[str | None] = so.mapped_column(sa.String(120))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # When the job was last handed to the queue, and the earliest time a retry may run.
    sent_at: so.Mapped[datetime | None]
    run_after: so.Mapped[datetime | None]
    started_at: so.Mapped[datetime | None]
    heartbeat_at: so.Mapped[datetime | None]
    finished_at: so.Mapped[datetime | None]

    @property
    def status_label(self) -> str:
        return str(JOB_STATUSES[self.status])

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.name} {self.status}>"
