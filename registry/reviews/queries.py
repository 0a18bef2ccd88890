"""The review queue."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import orm as so
from werkzeug.exceptions import NotFound

from registry.auth.models import User
from registry.db import matching, utcnow
from registry.extensions import db
from registry.permissions import can_view_submission
from registry.reviews.models import Annotation, Review
from registry.search import units_named
from registry.submissions.models import ArtworkVersion, Submission
from registry.textcheck.models import TextReading

QUEUE_STATUSES = ("submitted", "in_review")


def review_queue(
    *,
    status=None,
    campaign_id=None,
    unit_code=None,
    format=None,
    waiting_days=None,
    minority_scripts=False,
) -> sa.Select:
    """Submitted and in-review submissions of every unit, the earliest due first (then the
    longest waiting). unit_code takes a unit's code, or part of its name typed with or
    without diacritics ("long xuyen")."""
    stmt = (
        sa.select(Submission)
        .where(Submission.status.in_(QUEUE_STATUSES))
        .options(so.joinedload(Submission.unit), so.joinedload(Submission.assignee))
        .order_by(
            Submission.due_on.asc().nulls_last(),
            Submission.submitted_at.asc(),
            Submission.id.asc(),
        )
    )
    stmt = matching(
        stmt,
        (Submission.status, status if status in QUEUE_STATUSES else None),
        (Submission.campaign_id, campaign_id),
        (Submission.format, format),
    )
    units = units_named(unit_code)
    if units is not None:
        stmt = stmt.where(Submission.unit_id.in_(units))
    if minority_scripts:
        stmt = stmt.where(Submission.id.in_(with_minority_scripts()))
    if waiting_days:
        stmt = stmt.where(Submission.submitted_at <= utcnow() - timedelta(days=waiting_days))
    return stmt


def queue_rows(stmt: sa.Select) -> sa.Select:
    """review_queue for the page: only the columns a row shows, and beside each submission its
    round and the minority scripts on its latest version, in the same statement (they were two
    more round trips a page)."""
    return stmt.options(
        so.load_only(
            Submission.unit_id,
            Submission.assignee_id,
            Submission.title,
            Submission.format,
            Submission.status,
            Submission.submitted_at,
            Submission.due_on,
        ),
        # Of the reviewer, only their name: not their unit, which a user otherwise joins.
        so.joinedload(Submission.assignee)
        .load_only(User.full_name, User.username)
        .lazyload(User.unit),
    ).add_columns(round_of_submission().label("round"), latest_scripts().label("scripts"))


def round_of_submission():
    """The submission's round as a column (submission_rounds for one row of a select)."""
    requests = (
        sa.select(sa.func.count())
        .where(Review.submission_id == Submission.id, Review.decision == "request_changes")
        .correlate(Submission)
        .scalar_subquery()
    )
    return requests + 1


def latest_scripts():
    """The minority scripts found on the submission's latest version as a column: "" or NULL
    when none (minority_scripts_of for one row of a select)."""
    return (
        sa.select(TextReading.minority_scripts)
        .select_from(ArtworkVersion)
        .outerjoin(TextReading, TextReading.version_id == ArtworkVersion.id)
        .where(ArtworkVersion.submission_id == Submission.id)
        .order_by(ArtworkVersion.number.desc())
        .limit(1)
        .correlate(Submission)
        .scalar_subquery()
    )


def with_minority_scripts() -> sa.Select:
    """Ids of submissions whose latest version carries Khmer or Cham script (TP-05)."""
    newer = so.aliased(ArtworkVersion)
    latest = (
        sa.select(sa.func.max(newer.number))
        .where(newer.submission_id == ArtworkVersion.submission_id)
        .scalar_subquery()
    )
    return (
        sa.select(ArtworkVersion.submission_id)
        .join(TextReading, TextReading.version_id == ArtworkVersion.id)
        .where(TextReading.minority_scripts != "", ArtworkVersion.number == latest)
    )


def minority_scripts_of(submission_ids: list[int]) -> dict[int, str]:
    """For the listed submissions, the minority scripts found on their latest version."""
    if not submission_ids:
        return {}
    rows = db.session.execute(
        with_minority_scripts()
        .add_columns(TextReading.minority_scripts)
        .where(ArtworkVersion.submission_id.in_(submission_ids))
    )
    return {submission_id: scripts for submission_id, scripts in rows}


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


def submission_rounds(submission_ids: list[int]) -> dict[int, int]:
    """How many times each submission has gone to review: 1, then 2 after its first
    resubmission (each request for changes opens a round)."""
    rows = db.session.execute(
        sa.select(Review.submission_id, sa.func.count())
        .where(Review.submission_id.in_(submission_ids), Review.decision == "request_changes")
        .group_by(Review.submission_id)
    )
    counts = {submission_id: n for submission_id, n in rows}
    return {submission_id: counts.get(submission_id, 0) + 1 for submission_id in submission_ids}


def load_annotation(user: User, annotation_id: int) -> Annotation:
    """The pinned comment, or 404 when it does not exist or the user may not see it."""
    annotation = db.session.get(Annotation, annotation_id)
    if annotation is None or not can_view_submission(user, annotation.version.submission):
        raise NotFound()
    return annotation
