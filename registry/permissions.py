"""Who may see and do what: the only home of role rules. The workflow, the views, the API and
the templates ask these predicates; nothing else compares a user's role."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_babel import gettext as _

from registry.auth.models import User
from registry.library.models import ApprovedAsset
from registry.reviews.models import Annotation, Review
from registry.submissions.models import Submission

EDITABLE_STATUSES = ("draft", "changes_requested")

# Who may take each workflow action (registry.workflow owns the states it moves between).
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "submit": ("designer",),
    "withdraw": ("designer",),
    "claim": ("reviewer",),
    "release": ("reviewer",),
    "approve": ("reviewer",),
    "request_changes": ("reviewer",),
    "reject": ("reviewer",),
    "recommend_approval": ("reviewer",),
    "recommend_rejection": ("reviewer",),
    "sign": ("head",),
    "return": ("head",),
    "revoke": ("reviewer", "admin"),
}
# Only the reviewer who claimed a submission releases, decides or recommends it.
ASSIGNEE_ACTIONS = (
    "release",
    "approve",
    "request_changes",
    "reject",
    "recommend_approval",
    "recommend_rejection",
)


def sees_all_units(user: User) -> bool:
    """Reviewers, heads of division and admins work across every unit."""
    return user.role in ("reviewer", "head", "admin")


def scope_to_user(stmt: sa.Select, user: User, unit_column) -> sa.Select:
    """Restrict a query to the rows the user may see: their own unit unless their role sees all."""
    if sees_all_units(user):
        return stmt
    return stmt.where(unit_column == user.unit_id)


def visible_submissions(user: User) -> sa.Select:
    """A select of the submissions the user may see."""
    return scope_to_user(sa.select(Submission), user, Submission.unit_id)


def visible_assets(user: User) -> sa.Select:
    """A select of the approved assets the user may use: own unit's and province templates."""
    stmt = sa.select(ApprovedAsset)
    if sees_all_units(user):
        return stmt
    return stmt.where(
        sa.or_(ApprovedAsset.unit_id == user.unit_id, ApprovedAsset.scope == "province")
    )


def can_view_submission(user: User, submission: Submission) -> bool:
    return sees_all_units(user) or submission.unit_id == user.unit_id


def can_create_submission(user: User) -> bool:
    return user.role == "designer"


def _designs_for(user: User, submission: Submission) -> bool:
    return user.role == "designer" and submission.unit_id == user.unit_id


def can_edit_submission(user: User, submission: Submission) -> bool:
    """Designers of the unit edit their submissions while a draft or after changes were asked."""
    return _designs_for(user, submission) and submission.status in EDITABLE_STATUSES


def can_retry_renditions(user: User, submission: Submission) -> bool:
    """A failed preview is made again on the request of the unit's designers (while they may
    edit the submission) or of an admin."""
    return can_edit_submission(user, submission) or user.role == "admin"


def can_use_province_scope(user: User) -> bool:
    """Only the Department's own units make templates for the whole province."""
    return user.unit.is_department


def can_review(user: User) -> bool:
    return user.role == "reviewer"


def can_sign(user: User) -> bool:
    """Heads of division sign (or return) what reviewers recommend."""
    return user.role == "head"


def can_administer(user: User) -> bool:
    return user.role == "admin"


def is_assignee(user: User, submission: Submission) -> bool:
    """Whether the user has claimed the submission and is reviewing it now."""
    return submission.assignee_id == user.id


def can_act(user: User, submission: Submission, action: str) -> bool:
    """Whether the user's role, unit and claim let them take a workflow action on the
    submission (the workflow then checks its state and guards)."""
    if user.role not in ACTION_ROLES.get(action, ()):
        return False
    if user.role == "designer":
        return _designs_for(user, submission)
    if action in ASSIGNEE_ACTIONS:
        return is_assignee(user, submission)
    return True


def why_not(user: User, submission: Submission, action: str) -> str:
    """Why can_act refuses, as a sentence for the user."""
    if action in ASSIGNEE_ACTIONS and can_review(user):
        return _("Hồ sơ này đang do chuyên viên khác thẩm định; bạn cần nhận hồ sơ trước.")
    return _("Vai trò hoặc đơn vị của bạn không được thực hiện thao tác này với hồ sơ.")


def can_answer_review(user: User, review: Review) -> bool:
    """The reviewer who claimed the submission answers its open review's checklist, until
    they recommend it for signature."""
    return (
        not review.is_decided
        and review.recommendation is None
        and is_assignee(user, review.submission)
    )


def can_resolve_annotation(user: User, annotation: Annotation) -> bool:
    """Reviewers, and the designers of the submission's unit, mark a pinned comment resolved."""
    return can_review(user) or _designs_for(user, annotation.version.submission)


def can_reply_annotation(user: User, annotation: Annotation) -> bool:
    """Reviewers, and the designers of the submission's unit, answer a pinned comment."""
    return can_review(user) or _designs_for(user, annotation.version.submission)


def can_download_asset(user: User, asset: ApprovedAsset) -> bool:
    return sees_all_units(user) or asset.scope == "province" or asset.unit_id == user.unit_id


def require(allowed: bool) -> None:
    """Abort with 403 unless allowed."""
    if not allowed:
        abort(403)


def can_view_placement_display(user: User, placement) -> bool:
    """A display is seen by whoever may see its unit's submissions."""
    return sees_all_units(user) or placement.unit_id == user.unit_id


def can_record_display(user: User, placement) -> bool:
    """The locality of the placement's unit, or the Department's reviewers and admins, record
    what happens on site; a head of division signs, and follows displays on the dashboard."""
    if user.role in ("reviewer", "admin"):
        return True
    return user.role == "locality" and placement.unit_id == user.unit_id


def site_followers():
    """Who hears of a unit's displays (reminders): its locality users, as a SQL condition."""
    return User.role == "locality"


def script_readers():
    """Who reviews artwork carrying Khmer or Cham script (TP-05): the reviewers recorded as
    reading it, as a SQL condition."""
    return sa.and_(User.role == "reviewer", User.reads_minority_scripts)


def works_on_site(user: User) -> bool:
    """Localities download approved artwork for their unit and install and remove it (their
    home page lists that work)."""
    return user.role == "locality"


def can_view_dashboard(user: User) -> bool:
    """Reviewers, heads of division and admins follow every unit; a locality its own."""
    return sees_all_units(user) or user.role == "locality"


# Who hears of what (registry/notifications/notify.py picks each event's recipients with these).


def reviewers():
    """Every reviewer, as a SQL condition: each hears of a submission sent for review."""
    return User.role == "reviewer"


def signers():
    """Heads of division, as a SQL condition: they hear of recommendations awaiting signature."""
    return User.role == "head"


def is_designer(user: User) -> bool:
    """Designers hear of decisions on their submissions; in a pin's conversation they are one
    side and everyone else the other."""
    return user.role == "designer"


# The kinds of notification each role can receive (everyone who downloads can hear of a
# revocation); the preferences page offers only these.
NOTIFICATION_KINDS = {
    "designer": ("decision", "pin_reply", "revoked"),
    "reviewer": ("submitted", "signoff", "pin_reply", "revoked"),
    "head": ("signoff", "revoked"),
    "locality": ("approved", "reminder", "revoked"),
    "admin": ("revoked",),
}


def notification_kinds(user: User) -> tuple[str, ...]:
    return NOTIFICATION_KINDS.get(user.role, ())


def deadline_stage(user: User) -> str | None:
    """The due work a user answers for, which their daily digest names when it is overdue or
    due soon: a reviewer's reviews, a designer's answers to requests for changes, a head's
    signatures; other roles have none."""
    return {"reviewer": "review", "designer": "answer", "head": "signoff"}.get(user.role)
