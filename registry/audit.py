"""The append-only audit log: one record for every state change, upload, decision and download."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from sqlalchemy import orm as so

from registry.db import Base, utcnow
from registry.extensions import db
from registry.notifications.notify import notify_event


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        sa.Index("ix_audit_events_object_type_object_id", "object_type", "object_id"),
        sa.Index("ix_audit_events_submission_id_created_at", "submission_id", "created_at"),
        # The audit log filtered by who acted, newest first.
        sa.Index("ix_audit_events_actor_id_id", "actor_id", "id"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, index=True)
    actor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    action: so.Mapped[str] = so.mapped_column(sa.String(64))
    object_type: so.Mapped[str] = so.mapped_column(sa.String(32))
    object_id: so.Mapped[int | None]
    submission_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("submissions.id"))
    unit_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    data: so.Mapped[dict] = so.mapped_column(sa.JSON, default=dict)
    remote_addr: so.Mapped[str] = so.mapped_column(sa.String(64), default="")

    actor = so.relationship("User")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_type}:{self.object_id}>"


def record_event(
    actor,
    action: str,
    obj=None,
    *,
    submission=None,
    unit_id: int | None = None,
    **data,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller's commit makes it durable)."""
    if obj is not None:
        db.session.flush()
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        submission_id=getattr(submission, "id", None),
        unit_id=unit_id if unit_id is not None else getattr(submission, "unit_id", None),
        data=data,
        remote_addr=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(event)
    # Whoever the event concerns hears of it (registry/notifications/notify.py has the rules).
    notify_event(event, obj)
    return event
