"""Review operations: start a review with pre-checks, answer the checklist, decide, annotate."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from registry import prechecks
from registry.audit import record_event
from registry.auth.models import User
from registry.campaigns.models import ChecklistVersion
from registry.clock import display_horizon
from registry.db import utcnow
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput, NotAllowed
from registry.extensions import db
from registry.library.operations import store_approval
from registry.permissions import is_assignee
from registry.reviews.models import RESULTS, Annotation, AnnotationReply, ChecklistAnswer, Review
from registry.submissions.models import ArtworkVersion, Placement, Submission
from registry.submissions.presenters import resolution_evidence
from registry.textcheck.evidence import text_evidence


def current_review(submission: Submission) -> Review | None:
    """The open (undecided) review of the submission's latest version, if any."""
    latest = submission.latest_version
    if latest is None:
        return None
    return db.session.scalar(
        sa.select(Review).where(Review.version_id == latest.id, Review.decision.is_(None))
    )


def previous_review(submission: Submission, before: Review | None = None) -> Review | None:
    """The latest decided review of the submission."""
    stmt = sa.select(Review).where(
        Review.submission_id == submission.id, Review.decision.is_not(None)
    )
    if before is not None:
        stmt = stmt.where(Review.id != before.id)
    return db.session.scalar(stmt.order_by(Review.decided_at.desc(), Review.id.desc()).limit(1))


def _spots(placements) -> list[prechecks.Spot]:
    return [
        prechecks.Spot(
            p.id,
            p.address,
            p.unit_id,
            p.unit.code,
            p.lat,
            p.lon,
            p.display_from,
            p.display_to,
            p.submission_id,
        )
        for p in placements
    ]


def run_prechecks(submission: Submission, version: ArtworkVersion) -> dict[str, dict]:
    """Evidence of every automatic check, keyed by checklist item code."""
    config = current_app.config
    campaign = submission.campaign
    approved_elsewhere = db.session.scalars(
        sa.select(Placement)
        .join(Placement.submission)
        .where(Submission.status == "approved", Submission.id != submission.id)
    ).all()
    spots = _spots(submission.placements)
    return {
        # CT-01 (and TP-04, TP-05, PL-01) from the text read on the artwork (registry/textcheck).
        **text_evidence(submission, version),
        "PL-07": prechecks.check_aspect(
            version.width_px,
            version.height_px,
            submission.width_cm,
            submission.height_cm,
            config["REGISTRY_ASPECT_TOLERANCE"],
        ),
        "MQ-07": resolution_evidence(version, submission),
        "PL-04": prechecks.check_periods(spots, campaign, display_horizon()),
        "PL-09": prechecks.check_units(spots, submission),
        "MQ-04": prechecks.check_collisions(
            spots, _spots(approved_elsewhere), config["REGISTRY_PLACEMENT_DISTANCE_M"]
        ),
    }


def start_review(user: User, submission: Submission) -> Review:
    """Open (or take over) the review of the latest version, pre-filled and pre-checked."""
    review = current_review(submission)
    if review is not None:
        review.reviewer = user
        return review
    version = submission.latest_version
    checklist = submission.campaign.checklist_version
    # Admins edit a checklist version only while no review uses it; this lock orders the two.
    db.session.execute(
        sa.select(ChecklistVersion.id).where(ChecklistVersion.id == checklist.id).with_for_update()
    )
    review = Review(
        submission=submission, version=version, reviewer=user, checklist_version=checklist
    )
    db.session.add(review)
    before = previous_review(submission)
    earlier = {a.item.code: a for a in before.answers} if before else {}
    evidence = run_prechecks(submission, version)
    for item in review.checklist_version.items:
        answer = ChecklistAnswer(item=item)
        if item.code in earlier:
            answer.result, answer.comment = earlier[item.code].result, earlier[item.code].comment
        if item.code in evidence:
            answer.automatic_result = evidence[item.code]["result"]
            answer.evidence = evidence[item.code]
            answer.result = answer.automatic_result
            answer.comment = ""
        review.answers.append(answer)
    record_event(user, "review.started", review, submission=submission, version=version.number)
    return review


def save_answers(user: User, review: Review, answers: list[dict]) -> Review:
    """Record the reviewer's checklist answers; overriding an automatic answer needs a comment."""
    if review.is_decided:
        raise Conflict(
            _("Lượt thẩm định này đã có kết luận nên không sửa được."), code=ErrorCode.DECIDED
        )
    if review.recommendation is not None:
        raise Conflict(
            _("Hồ sơ đã được đề xuất và đang chờ lãnh đạo phòng ký nên không sửa đánh giá được."),
            code=ErrorCode.AWAITING_SIGNOFF,
        )
    if not is_assignee(user, review.submission):
        raise NotAllowed(_("Bạn cần nhận hồ sơ trước khi đánh giá."))
    by_code = {a.item.code: a for a in review.answers}
    codes = [entry.get("item") for entry in answers]
    repeated = sorted({str(code) for code in codes if codes.count(code) > 1})
    if repeated:
        # Which of two answers to one item was meant cannot be guessed: refuse, never pick.
        raise InvalidInput(
            _(
                "Mỗi tiêu chí chỉ được đánh giá một lần trong một lần gửi; "
                "tiêu chí lặp lại: %(codes)s.",
                codes=", ".join(repeated),
            ),
            code=ErrorCode.DUPLICATE_ITEM,
            field="item",
        )
    changes = {}
    for entry in answers:
        answer = by_code.get(entry.get("item"))
        if answer is None:
            raise InvalidInput(
                _(
                    "Tiêu chí “%(item)s” không có trong bộ tiêu chí của lượt thẩm định.",
                    item=entry.get("item"),
                ),
                code=ErrorCode.UNKNOWN_ITEM,
                field="item",
            )
        result = entry.get("result") or None
        comment = (entry.get("comment") or "").strip()
        if result is not None and result not in RESULTS:
            raise InvalidInput(
                _("Kết quả “%(result)s” không hợp lệ (pass, fail hoặc na).", result=result),
                field="result",
            )
        if result == "na" and not answer.item.allows_na:
            raise InvalidInput(
                _("Tiêu chí %(code)s không được đánh giá “Không áp dụng”.", code=answer.item.code),
                code=ErrorCode.NA_NOT_ALLOWED,
                field="result",
            )
        overriding = answer.automatic_result is not None and result != answer.automatic_result
        if overriding and not comment:
            raise InvalidInput(
                _(
                    "Tiêu chí %(code)s: cần ghi lý do khi thay đổi kết quả tự động.",
                    code=answer.item.code,
                ),
                code=ErrorCode.COMMENT_REQUIRED,
                field="comment",
            )
        if (answer.result, answer.comment) != (result, comment):
            changes[answer.item.code] = [answer.result, result]
            answer.result, answer.comment = result, comment
            answer.updated_at = utcnow()
    if changes:
        record_event(user, "review.answered", review, submission=review.submission, changes=changes)
    return review


def check_decision(submission: Submission, action: str) -> None:
    """Refuse a decision the checklist does not support, saying which items are missing."""
    review = current_review(submission)
    if review is None:
        raise Conflict(
            _("Chưa có lượt thẩm định cho phiên bản mới nhất."), code=ErrorCode.NO_REVIEW
        )
    if action == "approve":
        missing = [
            a.item.code
            for a in review.answers
            if a.item.is_required and a.result not in ("pass", "na")
        ]
        if missing:
            raise Conflict(
                _(
                    "Chưa thể duyệt: các tiêu chí sau chưa đạt hoặc chưa đánh giá: %(codes)s.",
                    codes=", ".join(sorted(missing)),
                ),
                code=ErrorCode.CHECKLIST_INCOMPLETE,
            )
    else:
        if not any(a.result == "fail" and a.comment.strip() for a in review.answers):
            raise Conflict(
                _(
                    "Cần ít nhất một tiêu chí “Không đạt” kèm nhận xét để yêu cầu "
                    "chỉnh sửa hoặc không duyệt."
                ),
                code=ErrorCode.NO_FAILED_ITEM,
            )


def record_decision(user: User, submission: Submission, action: str, comment: str) -> Review:
    """Freeze the review with its decision; an approval also stores the approved artwork."""
    review = current_review(submission)
    review.decision = action
    review.comment = comment.strip()
    review.decided_at = utcnow()
    review.reviewer = user
    if action == "approve":
        store_approval(user, submission, review)
    record_event(
        user, f"review.{action}", review, submission=submission, version=review.version.number
    )
    return review


def has_reviewed(user: User, submission: Submission) -> bool:
    """Whether the user reviewed any version of the submission."""
    return (
        db.session.scalar(
            sa.select(Review.id)
            .where(Review.submission_id == submission.id, Review.reviewer_id == user.id)
            .limit(1)
        )
        is not None
    )


def record_recommendation(
    user: User, submission: Submission, recommendation: str, comment: str
) -> Review:
    """Freeze the open review's answers under the reviewer's recommendation and summary."""
    review = current_review(submission)
    review.recommendation = recommendation
    review.recommended_at = utcnow()
    review.comment = comment.strip()
    record_event(
        user,
        "review.recommended",
        review,
        submission=submission,
        version=review.version.number,
        recommendation=recommendation,
    )
    return review


def withdraw_recommendation(user: User, submission: Submission, comment: str) -> Review:
    """The head returns the review to its reviewer, who may change answers again."""
    review = current_review(submission)
    recommendation = review.recommendation
    review.recommendation = None
    review.recommended_at = None
    record_event(
        user,
        "review.returned",
        review,
        submission=submission,
        version=review.version.number,
        recommendation=recommendation,
        comment=comment.strip(),
    )
    return review


def record_signature(user: User, submission: Submission, comment: str) -> Review:
    """The head signs: the recommendation becomes the decision; an approval stores the
    approved artwork exactly as a one-step approval does."""
    review = current_review(submission)
    review.decision = review.recommendation
    review.decided_at = utcnow()
    review.signer = user
    if review.decision == "approve":
        store_approval(user, submission, review)
    record_event(
        user,
        f"review.{review.decision}",
        review,
        submission=submission,
        version=review.version.number,
        signed=True,
        comment=comment.strip(),
    )
    return review


def add_annotation(
    user: User, version: ArtworkVersion, x: float, y: float, body: str
) -> Annotation:
    """Pin a comment at a relative point of a version's image."""
    if not (0 <= x <= 1 and 0 <= y <= 1):
        raise InvalidInput(
            _("Vị trí ghi chú phải nằm trong ảnh."), code=ErrorCode.OUTSIDE_IMAGE, field="x"
        )
    if not body.strip():
        raise InvalidInput(
            _("Vui lòng nhập nội dung ghi chú."), code=ErrorCode.EMPTY_TEXT, field="body"
        )
    annotation = Annotation(version=version, author=user, x=x, y=y, body=body.strip())
    db.session.add(annotation)
    record_event(
        user, "annotation.added", annotation, submission=version.submission, version=version.number
    )
    return annotation


def resolve_annotation(user: User, annotation: Annotation) -> Annotation:
    """Mark a pinned comment as resolved."""
    if annotation.resolved_at is None:
        annotation.resolved_at = utcnow()
        annotation.resolved_by_id = user.id
        record_event(
            user, "annotation.resolved", annotation, submission=annotation.version.submission
        )
    return annotation


def reply_to_annotation(user: User, annotation: Annotation, body: str) -> AnnotationReply:
    """Answer a pinned comment: the designer says what they did, a reviewer answers back."""
    if not body.strip():
        raise InvalidInput(
            _("Vui lòng nhập nội dung trả lời."), code=ErrorCode.EMPTY_TEXT, field="body"
        )
    reply = AnnotationReply(annotation=annotation, author=user, body=body.strip())
    db.session.add(reply)
    record_event(
        user,
        "annotation.replied",
        reply,
        submission=annotation.version.submission,
        annotation=annotation.id,
        comment=reply.body,
    )
    return reply
