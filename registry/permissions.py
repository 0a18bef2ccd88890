"""Who may see and do what: the only home of role rules. Templates use these predicates too."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from registry.auth.models import User
from registry.library.models import ApprovedAsset
from registry.submissions.models import Submission

EDITABLE_STATUSES = ("draft", "changes_requested")


def sees_all_units(user: User) -> bool:
    """Reviewers and admins work across every unit."""
    return user.role in ("reviewer", "admin")


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


def can_edit_submission(user: User, submission: Submission) -> bool:
    """Designers of the unit edit their submissions while a draft or after changes were asked."""
    return (
        user.role == "designer"
        and submission.unit_id == user.unit_id
        and submission.status in EDITABLE_STATUSES
    )


def can_use_province_scope(user: User) -> bool:
    """Only the Department's own units make templates for the whole province."""
    return user.unit.is_department


def can_review(user: User) -> bool:
    return user.role == "reviewer"


def can_administer(user: User) -> bool:
    return user.role == "admin"


def can_revoke(user: User) -> bool:
    return user.role in ("reviewer", "admin")


def can_download_asset(user: User, asset: ApprovedAsset) -> bool:
    return sees_all_units(user) or asset.scope == "province" or asset.unit_id == user.unit_id


def require(allowed: bool) -> None:
    """Abort with 403 unless allowed."""
    if not allowed:
        abort(403)
