"""The submission state machine: states, the transition table, guards and audit events.

This is the only module that assigns ``Submission.status``. Views and the API call
``apply_transition``; it checks the source state, who may act (registry.permissions) and the
guards, applies the effects, writes the AuditEvent in the same transaction and flushes (the
request commits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.audit import record_event
from registry.auth.models import User
from registry.clock import local_today
from registry.db import utcnow
from registry.duedates import refresh_due_date
from registry.error_codes import ErrorCode
from registry.exceptions import STALE_MESSAGE, Conflict, NotAllowed
from registry.extensions import db
from registry.library.operations import revoke_assets
from registry.permissions import ACTION_ROLES, can_act, why_not
from registry.reviews.models import DECISIONS, RECOMMENDATIONS
from registry.reviews.operations import (
    check_decision,
    current_review,
    has_reviewed,
    previous_review,
    record_decision,
    record_recommendation,
    record_signature,
    start_review,
    withdraw_recommendation,
)
from registry.submissions.checks import submission_problems
from registry.submissions.models import STATUSES, Submission


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    label: str
    # The campaign sign-off modes (Campaign.signoff_steps) in which the action exists.
    steps: tuple[int, ...] = (1, 2)


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(("draft", "changes_requested"), "submitted", _l("Gửi thẩm định")),
    "withdraw": Transition(("draft", "changes_requested"), "withdrawn", _l("Rút hồ sơ")),
    "claim": Transition(("submitted",), "in_review", _l("Nhận thẩm định")),
    "release": Transition(("in_review",), "submitted", _l("Trả lại hàng chờ")),
    "approve": Transition(("in_review",), "approved", DECISIONS["approve"], steps=(1,)),
    "request_changes": Transition(
        ("in_review",), "changes_requested", DECISIONS["request_changes"]
    ),
    "reject": Transition(("in_review",), "rejected", DECISIONS["reject"], steps=(1,)),
    "recommend_approval": Transition(
        ("in_review",), "awaiting_signoff", RECOMMENDATIONS["approve"], steps=(2,)
    ),
    "recommend_rejection": Transition(
        ("in_review",), "awaiting_signoff", RECOMMENDATIONS["reject"], steps=(2,)
    ),
    # Carries out the recommendation: "approved", or "rejected" (see _target).
    "sign": Transition(("awaiting_signoff",), "approved", _l("Ký duyệt"), steps=(2,)),
    "return": Transition(("awaiting_signoff",), "in_review", _l("Trả lại chuyên viên"), steps=(2,)),
    "revoke": Transition(("approved",), "revoked", _l("Thu hồi")),
}
# What each recommendation asks the checklist to support (as the decision it leads to).
_RECOMMENDED = {"recommend_approval": "approve", "recommend_rejection": "reject"}
assert all(t.target in STATUSES for t in TRANSITIONS.values())
assert set(TRANSITIONS) == set(ACTION_ROLES), "every action needs its roles in permissions.py"


def available_actions(user: User, submission: Submission) -> list[str]:
    """The actions whose source state fits and the user may take (guards may still refuse)."""
    return [
        action
        for action, t in TRANSITIONS.items()
        if submission.status in t.sources
        and submission.campaign.signoff_steps in t.steps
        and can_act(user, submission, action)
    ]


def _target(submission: Submission, action: str) -> str:
    """Where the action leads: signing carries out the reviewer's recommendation."""
    if action == "sign":
        review = current_review(submission)
        return "approved" if review.recommendation == "approve" else "rejected"
    return TRANSITIONS[action].target


def apply_transition(
    user: User,
    submission: Submission,
    action: str,
    *,
    comment: str = "",
    expected_lock_version: int | None = None,
) -> Submission:
    """Move a submission along the workflow, or raise a UserFacingError saying why not."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise Conflict(
            _("Thao tác “%(action)s” không tồn tại.", action=action),
            code=ErrorCode.UNKNOWN_ACTION,
        )
    if expected_lock_version is not None and expected_lock_version != submission.lock_version:
        raise Conflict(STALE_MESSAGE, code=ErrorCode.STALE)
    if submission.status not in transition.sources:
        raise Conflict(
            _(
                "Không thể “%(action)s” khi hồ sơ đang ở trạng thái “%(status)s”.",
                action=transition.label,
                status=submission.status_label,
            ),
            code=ErrorCode.INVALID_STATE,
        )
    if submission.campaign.signoff_steps not in transition.steps:
        raise Conflict(
            _mode_message(submission.campaign.signoff_steps), code=ErrorCode.SIGNOFF_MODE
        )
    if not can_act(user, submission, action):
        raise NotAllowed(why_not(user, submission, action))
    _GUARDS.get(action, _no_guard)(user, submission, comment)
    source = submission.status
    target = _target(submission, action)
    submission.status = target
    _EFFECTS.get(action, _no_effect)(user, submission, comment)
    refresh_due_date(submission)
    record_event(
        user,
        f"submission.{action}",
        submission,
        submission=submission,
        source=source,
        target=target,
        comment=comment,
    )
    db.session.flush()
    return submission


def _mode_message(steps: int) -> str:
    if steps == 2:
        return _(
            "Đợt tuyên truyền này ký duyệt hai bước: chuyên viên đề xuất, lãnh đạo phòng ký duyệt."
        )
    return _("Đợt tuyên truyền này ký duyệt một bước: chuyên viên thẩm định quyết định.")


# Guards: each raises a Conflict with a message saying what to do.


def _no_guard(user: User, submission: Submission, comment: str) -> None:
    return None


def _guard_submit(user: User, submission: Submission, comment: str) -> None:
    problems = submission_problems(submission, local_today())
    if problems:
        raise Conflict(
            _("Chưa thể gửi thẩm định: %(problems)s", problems=" ".join(problems)),
            code=ErrorCode.NOT_READY,
        )
    if previous_review(submission) is not None and not comment.strip():
        raise Conflict(
            _("Vui lòng ghi ngắn gọn những gì đã thay đổi so với lần thẩm định trước."),
            code=ErrorCode.NOTE_REQUIRED,
        )


def _guard_not_own_upload(user: User, submission: Submission, comment: str) -> None:
    if any(v.uploaded_by_id == user.id for v in submission.versions):
        raise NotAllowed(
            _("Bạn đã tải lên một phiên bản của hồ sơ này nên không được thẩm định nó."),
            code=ErrorCode.OWN_UPLOAD,
        )


def _guard_seen(submission: Submission, decision: str) -> None:
    """Nobody decides on artwork they could not see: not while its preview is being made, and
    no approval of a file that could not be rendered (it may be sent back or refused)."""
    version = submission.latest_version
    if version is None or version.renditions_state == "ready":
        return
    if version.renditions_state == "pending":
        raise Conflict(
            _(
                "Ảnh xem trước của phiên bản %(version)s đang được tạo; vui lòng chờ trong giây "
                "lát rồi quyết định.",
                version=version.label,
            ),
            code=ErrorCode.NOT_READY,
        )
    if decision == "approve":
        raise Conflict(
            _(
                "Không thể duyệt: phiên bản %(version)s không tạo được ảnh xem trước "
                "(%(error)s). Hãy yêu cầu đơn vị tải lên phiên bản mới.",
                version=version.label,
                error=version.renditions_error,
            ),
            code=ErrorCode.NOT_READY,
        )


def _guard_decision(action: str) -> Callable[[User, Submission, str], None]:
    def guard(user: User, submission: Submission, comment: str) -> None:
        _guard_not_own_upload(user, submission, comment)
        _guard_seen(submission, action)
        check_decision(submission, action)

    return guard


def _guard_recommendation(action: str) -> Callable[[User, Submission, str], None]:
    def guard(user: User, submission: Submission, comment: str) -> None:
        _guard_not_own_upload(user, submission, comment)
        _guard_seen(submission, _RECOMMENDED[action])
        check_decision(submission, _RECOMMENDED[action])

    return guard


def _guard_sign(user: User, submission: Submission, comment: str) -> None:
    """Separation of duties: whoever uploaded or reviewed the submission does not sign it."""
    _guard_not_own_upload(user, submission, comment)
    if has_reviewed(user, submission):
        raise NotAllowed(
            _("Bạn đã thẩm định hồ sơ này nên không được ký duyệt nó."),
            code=ErrorCode.OWN_REVIEW,
        )


def _guard_return(user: User, submission: Submission, comment: str) -> None:
    if not comment.strip():
        raise Conflict(
            _("Vui lòng ghi ý kiến để chuyên viên biết cần xem lại điều gì."),
            code=ErrorCode.REASON_REQUIRED,
        )


def _guard_revoke(user: User, submission: Submission, comment: str) -> None:
    if not comment.strip():
        raise Conflict(_("Vui lòng ghi lý do thu hồi."), code=ErrorCode.REASON_REQUIRED)


# Effects: what else changes with the state.


def _no_effect(user: User, submission: Submission, comment: str) -> None:
    return None


def _on_submit(user: User, submission: Submission, comment: str) -> None:
    submission.submitted_at = utcnow()
    submission.assignee_id = None
    if previous_review(submission) is not None:  # a resubmission: the note goes with its version
        submission.latest_version.change_note = comment.strip()


def _on_claim(user: User, submission: Submission, comment: str) -> None:
    submission.assignee_id = user.id
    start_review(user, submission)


def _on_release(user: User, submission: Submission, comment: str) -> None:
    submission.assignee_id = None


def _on_decision(action: str) -> Callable[[User, Submission, str], None]:
    def effect(user: User, submission: Submission, comment: str) -> None:
        submission.decided_at = utcnow()
        submission.assignee_id = None
        record_decision(user, submission, action, comment)

    return effect


def _on_recommendation(action: str) -> Callable[[User, Submission, str], None]:
    def effect(user: User, submission: Submission, comment: str) -> None:
        record_recommendation(user, submission, _RECOMMENDED[action], comment)

    return effect


def _on_sign(user: User, submission: Submission, comment: str) -> None:
    submission.decided_at = utcnow()
    submission.assignee_id = None
    record_signature(user, submission, comment)


def _on_return(user: User, submission: Submission, comment: str) -> None:
    withdraw_recommendation(user, submission, comment)


def _on_revoke(user: User, submission: Submission, comment: str) -> None:
    revoke_assets(user, submission, comment)


_GUARDS: dict[str, Callable[[User, Submission, str], None]] = {
    "submit": _guard_submit,
    "claim": _guard_not_own_upload,
    **{action: _guard_decision(action) for action in DECISIONS},
    **{action: _guard_recommendation(action) for action in _RECOMMENDED},
    "sign": _guard_sign,
    "return": _guard_return,
    "revoke": _guard_revoke,
}
_EFFECTS: dict[str, Callable[[User, Submission, str], None]] = {
    "submit": _on_submit,
    "claim": _on_claim,
    "release": _on_release,
    **{action: _on_decision(action) for action in DECISIONS},
    **{action: _on_recommendation(action) for action in _RECOMMENDED},
    "sign": _on_sign,
    "return": _on_return,
    "revoke": _on_revoke,
}
