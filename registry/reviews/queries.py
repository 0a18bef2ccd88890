"""The review queue."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import orm as so

from registry.db import matching, utcnow
from registry.extensions import db
from registry.submissions.models import Submission
from registry.units.models import unit_id_of

QUEUE_STATUSES = ("submitted", "in_review")


def review_queue(
    *, status=None, campaign_id=None, unit_code=None, format=None, waiting_days=None
) -> sa.Select:
    """Submitted and in-review submissions of every unit, the longest waiting first."""
    stmt = (
        sa.select(Submission)
        .where(Submission.status.in_(QUEUE_STATUSES))
        .options(
            so.joinedload(Submission.unit),
            so.joinedload(Submission.campaign),
            so.joinedload(Submission.assignee),
        )
        .order_by(Submission.submitted_at.asc(), Submission.id.asc())
    )
    stmt = matching(
        stmt,
        (Submission.status, status if status in QUEUE_STATUSES else None),
        (Submission.campaign_id, campaign_id),
        (Submission.format, format),
        (Submission.unit_id, unit_id_of(unit_code)),
    )
    if waiting_days:
        stmt = stmt.where(Submission.submitted_at <= utcnow() - timedelta(days=waiting_days))
    return stmt


def queue_counts() -> dict[str, int]:
    """How many submissions wait in each queue state."""
    rows = db.session.execute(
        sa.select(Submission.status, sa.func.count())
        .where(Submission.status.in_(QUEUE_STATUSES))
        .group_by(Submission.status)
    )
    counts = dict.fromkeys(QUEUE_STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def signoff_queue() -> sa.Select:
    """Submissions awaiting a head of division's signature, the longest waiting first."""
    return (
        sa.select(Submission)
        .where(Submission.status == "awaiting_signoff")
        .options(so.joinedload(Submission.unit), so.joinedload(Submission.campaign))
        .order_by(Submission.updated_at.asc(), Submission.id.asc())
    )
