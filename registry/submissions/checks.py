"""Readiness checks of a submission before it goes to review."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from registry.extensions import db
from registry.submissions.models import Submission


def last_reviewed_version_id(submission: Submission) -> int | None:
    """The id of the version the latest decided review judged, if any."""
    from registry.reviews.models import Review

    return db.session.scalar(
        sa.select(Review.version_id)
        .where(Review.submission_id == submission.id, Review.decision.is_not(None))
        .order_by(Review.decided_at.desc(), Review.id.desc())
        .limit(1)
    )


def submission_problems(submission: Submission, day: date) -> list[str]:
    """What keeps the submission from being submitted, as sentences for the designer."""
    problems = []
    if not submission.versions:
        problems.append("Cần tải lên ít nhất một phiên bản mẫu.")
    if submission.scope == "unit" and not submission.placements:
        problems.append("Cần khai báo ít nhất một vị trí treo/dựng.")
    if not submission.campaign.is_open_on(day):
        problems.append(f"Đợt tuyên truyền “{submission.campaign.title}” hiện không mở.")
    if submission.scope == "unit":
        for placement in submission.placements:
            if placement.unit_id != submission.unit_id:
                problems.append(
                    f"Vị trí “{placement.address}” không thuộc đơn vị {submission.unit.name}."
                )
    for placement in submission.placements:
        if not submission.campaign.covers(placement.display_from, placement.display_to):
            problems.append(
                f"Thời gian treo tại “{placement.address}” nằm ngoài thời gian của đợt."
            )
    answered = submission.status == "changes_requested" and submission.versions
    if answered and last_reviewed_version_id(submission) == submission.latest_version.id:
        problems.append("Cần tải lên phiên bản mới theo yêu cầu chỉnh sửa trước khi gửi lại.")
    return problems
