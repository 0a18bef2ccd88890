"""Who hears of what: each workflow event notifies the people its rule names, in the app, and
never the one who acted."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.library.operations import log_download
from registry.notifications.models import Notification
from registry.reviews.operations import add_annotation, reply_to_annotation
from registry.textcheck.models import TextReading
from registry.workflow import apply_transition
from tests.factories import (
    DEPARTMENT,
    UNIT_A,
    UNIT_B,
    a_head,
    advance_to,
    answer_all,
    use_two_step_signoff,
)


def _inbox(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def _kinds(user) -> list[str]:
    return [n.kind for n in _inbox(user)]


def test_an_approval_tells_the_designer_and_the_localities_of_that_unit_only(
    ctx, make_user, designer, reviewer, make_submission
):
    locality_a = make_user("locality", UNIT_A)
    locality_b = make_user("locality", UNIT_B)
    other_designer = make_user("designer", UNIT_A)
    submission = advance_to(make_submission(designer), "approved", designer, reviewer)
    code = db.session.scalar(sa.select(ApprovedAsset.code))
    [decision] = _inbox(designer)
    assert decision.kind == "decision" and decision.title.endswith("đã được duyệt")
    assert decision.link == f"/submissions/{submission.id}"
    [news] = _inbox(locality_a)
    assert news.kind == "approved" and code in news.body
    assert news.link == f"/library/{code}"
    assert _inbox(locality_b) == []
    assert _inbox(other_designer) == []  # not theirs: neither author nor uploader
    assert "decision" not in _kinds(reviewer)  # who decided hears nothing of it


def test_a_revocation_tells_whoever_downloaded_the_asset(
    ctx, make_user, designer, reviewer, make_submission
):
    downloader = make_user("locality", UNIT_A)
    bystander = make_user("locality", UNIT_A)
    submission = advance_to(make_submission(designer), "approved", designer, reviewer)
    asset = db.session.scalar(sa.select(ApprovedAsset))
    log_download(downloader, asset, "page")
    log_download(downloader, asset, "api")  # twice, told once
    db.session.commit()
    apply_transition(reviewer, submission, "revoke", comment="Sai thông tin nghị quyết.")
    db.session.commit()
    [revoked] = [n for n in _inbox(downloader) if n.kind == "revoked"]
    assert asset.code in revoked.title
    assert "Lý do thu hồi: Sai thông tin nghị quyết." in revoked.body
    assert "revoked" not in _kinds(bystander)


def test_two_step_signoff_tells_the_heads_of_a_recommendation_and_the_reviewer_of_a_return(
    ctx, make_user, designer, reviewer, make_submission
):
    use_two_step_signoff()
    head = a_head("lanhdao.1")
    submission = advance_to(make_submission(designer), "in_review", designer, reviewer)
    answer_all(reviewer, submission)
    apply_transition(reviewer, submission, "recommend_approval", comment="Đạt yêu cầu.")
    db.session.commit()
    [asked] = _inbox(head)
    assert asked.kind == "signoff" and "Chờ ký duyệt" in asked.title
    assert "Đạt yêu cầu." in asked.body
    apply_transition(head, submission, "return", comment="Xem lại kích thước.")
    db.session.commit()
    returned = [n for n in _inbox(reviewer) if n.kind == "signoff"]
    assert len(returned) == 1 and "Xem lại kích thước." in returned[0].body
    assert _inbox(designer) == []  # nothing decided yet


def test_a_reply_to_a_pin_tells_the_other_side(ctx, make_user, designer, reviewer, make_submission):
    other_reviewer = make_user("reviewer", DEPARTMENT)
    submission = advance_to(make_submission(designer), "in_review", designer, reviewer)
    pin = add_annotation(reviewer, submission.latest_version, 0.2, 0.2, "Chữ quá nhỏ")
    db.session.commit()
    reply_to_annotation(designer, pin, "Đã tăng cỡ chữ.")
    db.session.commit()
    [to_reviewer] = [n for n in _inbox(reviewer) if n.kind == "pin_reply"]
    assert "Đã tăng cỡ chữ." in to_reviewer.body and "Chữ quá nhỏ" in to_reviewer.body
    assert to_reviewer.link == f"/reviews/{submission.id}"
    assert "pin_reply" not in _kinds(designer)
    reply_to_annotation(other_reviewer, pin, "Cần to hơn nữa.")
    db.session.commit()
    [to_designer] = [n for n in _inbox(designer) if n.kind == "pin_reply"]
    assert "Cần to hơn nữa." in to_designer.body
    assert to_designer.link == f"/submissions/{submission.id}"
    # The first reviewer is on the same side as the one who answered: not told again.
    assert len([n for n in _inbox(reviewer) if n.kind == "pin_reply"]) == 1


def _reads_khmer(submission) -> None:
    """The latest version's text reading found Khmer script."""
    version = submission.latest_version
    reading = db.session.scalar(sa.select(TextReading).where(TextReading.version_id == version.id))
    if reading is None:
        reading = TextReading(version_id=version.id)
        db.session.add(reading)
    reading.status, reading.minority_scripts = "done", "khmer"
    db.session.commit()


def test_artwork_in_khmer_script_is_announced_to_the_reviewers_who_read_it(
    ctx, make_user, designer, reviewer, make_submission
):
    reader = make_user("reviewer", DEPARTMENT)
    reader.reads_minority_scripts = True
    submission = make_submission(designer, title="Pano song ngữ Việt – Khmer")
    _reads_khmer(submission)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    [notice] = _inbox(reader)
    assert notice.kind == "submitted"
    assert "Mẫu có chữ Khmer: hồ sơ được báo trước cho chuyên viên đọc được chữ này." in notice.body
    assert _kinds(reviewer) == []  # the review goes first to who can read it


def test_khmer_script_with_no_reader_recorded_is_announced_to_every_reviewer(
    ctx, designer, reviewer, make_submission
):
    submission = make_submission(designer)
    _reads_khmer(submission)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    [notice] = _inbox(reviewer)
    assert "chưa có chuyên viên nào được ghi nhận đọc được chữ này" in notice.body
