"""Loading submissions and their parts, scoped to what the user may see."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm as so
from werkzeug.exceptions import NotFound

from registry.auth.models import User
from registry.campaigns.models import Campaign, Slogan
from registry.db import matching
from registry.error_codes import ErrorCode
from registry.exceptions import InvalidInput
from registry.extensions import db
from registry.permissions import can_view_submission, visible_submissions
from registry.search import matching_submissions
from registry.submissions.models import ArtworkVersion, Placement, Submission
from registry.units.models import Unit, unit_id_of


def load_submission(user: User, submission_id: int) -> Submission:
    """The submission, or 404 when it does not exist or the user may not see it."""
    submission = db.session.get(Submission, submission_id)
    if submission is None or not can_view_submission(user, submission):
        raise NotFound()
    return submission


def load_placement(user: User, placement_id: int) -> Placement:
    placement = db.session.get(Placement, placement_id)
    if placement is None or not can_view_submission(user, placement.submission):
        raise NotFound()
    return placement


def load_version(user: User, version_id: int) -> ArtworkVersion:
    version = db.session.get(ArtworkVersion, version_id)
    if version is None or not can_view_submission(user, version.submission):
        raise NotFound()
    return version


def submission_list(
    user: User, *, status=None, campaign_id=None, format=None, q=None, unit_code=None
) -> sa.Select:
    """The user's visible submissions, newest change first, with filters."""
    stmt = (
        visible_submissions(user)
        .options(so.joinedload(Submission.unit), so.joinedload(Submission.campaign))
        .order_by(Submission.updated_at.desc(), Submission.id.desc())
    )
    stmt = matching(
        stmt,
        (Submission.status, status),
        (Submission.campaign_id, campaign_id),
        (Submission.format, format),
        (Submission.unit_id, unit_id_of(unit_code)),
    )
    if (found := matching_submissions(q)) is not None:
        stmt = stmt.where(found)
    return stmt


def listed_submissions(stmt: sa.Select) -> sa.Select:
    """submission_list for the list page: only the columns a row shows, not every text."""
    return stmt.options(
        so.load_only(
            Submission.unit_id,
            Submission.campaign_id,
            Submission.title,
            Submission.format,
            Submission.status,
            Submission.updated_at,
        )
    )


def open_campaigns(day) -> list[Campaign]:
    """The campaigns open for submissions on the given day (Campaign.is_open_on, in SQL)."""
    return list(
        db.session.scalars(
            sa.select(Campaign)
            .where(
                ~Campaign.is_closed,
                Campaign.starts_on <= day,
                sa.or_(Campaign.ends_on.is_(None), Campaign.ends_on >= day),
            )
            .order_by(Campaign.starts_on.desc())
        )
    )


def slogans_by_ids(ids: list[int]) -> list[Slogan]:
    """The slogans with these ids; an unknown id is refused."""
    if not ids:
        return []
    slogans = list(db.session.scalars(sa.select(Slogan).where(Slogan.id.in_(set(ids)))))
    if len(slogans) != len(set(ids)):
        raise InvalidInput(
            _("Có khẩu hiệu không tồn tại trong danh mục."),
            code=ErrorCode.UNKNOWN_SLOGAN,
            field="slogan_ids",
        )
    return slogans


def unit_by_code(code: str) -> Unit | None:
    return db.session.scalar(sa.select(Unit).where(Unit.code == code, Unit.is_active))
