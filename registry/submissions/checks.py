"""Readiness checks of a submission before it goes to review."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from registry.clock import display_horizon
from registry.reviews.operations import previous_review
from registry.submissions.models import Submission


def submission_problems(submission: Submission, day: date) -> list[str]:
    """What keeps the submission from being submitted, as sentences for the designer."""
    problems = []
    if not submission.versions:
        problems.append(_("Cần tải lên ít nhất một phiên bản mẫu."))
    if submission.scope == "unit" and not submission.placements:
        problems.append(_("Cần khai báo ít nhất một vị trí treo/dựng."))
    if not submission.campaign.is_open_on(day):
        problems.append(
            _("Đợt tuyên truyền “%(title)s” hiện không mở.", title=submission.campaign.title)
        )
    horizon = display_horizon(day)
    for placement in submission.placements:
        if not submission.takes_placement_in(placement.unit_id):
            problems.append(
                _(
                    "Vị trí “%(address)s” không thuộc đơn vị %(unit)s.",
                    address=placement.address,
                    unit=submission.unit.name,
                )
            )
        if not submission.campaign.covers(placement.display_from, placement.display_to, horizon):
            problems.append(
                _(
                    "Thời gian treo tại “%(address)s” nằm ngoài thời gian của đợt.",
                    address=placement.address,
                )
            )
    latest = submission.latest_version
    # A preview still being made does not hold the submission back (decisions wait for it).
    if latest is not None and latest.renditions_state == "failed":
        problems.append(
            _(
                "Phiên bản %(version)s không tạo được ảnh xem trước: %(error)s Hãy tải lên "
                "phiên bản mới (hoặc bấm “Thử lại” nếu lỗi không do tệp).",
                version=latest.label,
                error=latest.renditions_error,
            )
        )
    if submission.status == "changes_requested" and submission.versions:
        last = previous_review(submission)
        if last is not None and last.version_id == submission.latest_version.id:
            problems.append(
                _("Cần tải lên phiên bản mới theo yêu cầu chỉnh sửa trước khi gửi lại.")
            )
    return problems
