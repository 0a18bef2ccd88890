"""The admin blueprint, its admins-only guard and the helpers its pages share."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, request
from flask_login import current_user, login_required

from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.forms import ConfirmForm, show_refusal
from registry.permissions import can_administer

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _admins_only():
    if not can_administer(current_user):
        abort(403)


def posted_flag(name: str) -> bool:
    """The 0/1 value of a button's form; anything else is a bad request."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    value = request.form.get(name)
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


def apply_flag(name: str, operation: Callable[[bool], object]) -> bool | None:
    """Run a 0/1 button's operation with its value and commit; None once refused (flashed)."""
    flag = posted_flag(name)
    try:
        operation(flag)
    except UserFacingError as error:
        show_refusal(error)
        return None
    db.session.commit()
    return flag
