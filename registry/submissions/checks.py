"""Readiness checks of a submission before it goes to review."""

from __future__ import annotations

from datetime import date

from registry.clock import display_horizon
from registry.reviews.operations import previous_review
from registry.submissions.models import Submission


def submission_problems(submission: Submission, day: date) -> list[str]:
    """What keeps the submission from being submitted, as sentences for the designer."""
    problems = []
    if not submission.versions:
        problems.append("Cần tải lên ít nhất một phiên bản mẫu.")
    if submission.scope == "unit" and not submission.placements:
        problems.append("Cần khai báo ít nhất một vị trí treo/dựng.")
    if not submission.campaign.is_open_on(day):
        problems.append(f"Đợt tuyên truyền “{submission.campaign.title}” hiện không mở.")
    horizon = display_horizon(day)
    for placement in submission.placements:
        if not submission.takes_placement_in(placement.unit_id):
            problems.append(
                f"Vị trí “{placement.address}” không thuộc đơn vị {submission.unit.name}."
            )
        if not submission.campaign.covers(placement.display_from, placement.display_to, horizon):
            problems.append(
                f"Thời gian treo tại “{placement.address}” nằm ngoài thời gian của đợt."
            )
    latest = submission.latest_version
    # A preview still being made does not hold the submission back (decisions wait for it).
    if latest is not None and latest.renditions_state == "failed":
        problems.append(
            f"Phiên bản {latest.label} không tạo được ảnh xem trước: {latest.renditions_error} "
            "Hãy tải lên phiên bản mới (hoặc bấm “Thử lại” nếu lỗi không do tệp)."
        )
    if submission.status == "changes_requested" and submission.versions:
        last = previous_review(submission)
        if last is not None and last.version_id == submission.latest_version.id:
            problems.append("Cần tải lên phiên bản mới theo yêu cầu chỉnh sửa trước khi gửi lại.")
    return problems
