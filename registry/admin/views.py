"""Admin pages: accounts (create, reset password, deactivate) and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from registry.admin.forms import ConfirmForm, PasswordResetForm, UserCreateForm
from registry.audit import AuditEvent
from registry.auth.models import User
from registry.auth.operations import UserError, create_user, reset_password, set_user_active
from registry.extensions import db
from registry.pagination import paginate
from registry.permissions import can_administer
from registry.units.models import Unit

bp = Blueprint("admin", __name__)


@bp.before_request
@login_required
def _admins_only():
    if not can_administer(current_user):
        abort(403)


def _unit_choices() -> dict[str, str]:
    units = db.session.scalars(sa.select(Unit).where(Unit.is_active).order_by(Unit.kind, Unit.name))
    return {u.code: f"{u.name} ({u.code})" for u in units}


@bp.route("/users")
def users():
    stmt = sa.select(User).join(User.unit).order_by(User.username)
    if q := request.args.get("q", "").strip():
        stmt = stmt.where(sa.or_(User.username.contains(q.lower()), User.full_name.contains(q)))
    if role := request.args.get("role"):
        stmt = stmt.where(User.role == role)
    page = paginate(stmt)
    return render_template("admin/users.html", page=page, confirm=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserCreateForm()
    form.unit.choices = _unit_choices()
    if form.validate_on_submit():
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == form.unit.data))
        try:
            user = create_user(
                current_user,
                form.username.data,
                form.password.data,
                form.role.data,
                unit,
                form.full_name.data,
            )
        except UserError as error:
            form.username.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Đã tạo tài khoản {user.username}.", "success")
            return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_form.html", form=form), status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        reset_password(current_user, user, form.password.data)
        db.session.commit()
        flash(
            f"Đã đặt lại mật khẩu cho {user.username}; các phiên đăng nhập cũ đã bị hủy.", "success"
        )
        return redirect(url_for("admin.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/user_password.html", form=form, user=user), status


def posted_flag(name: str) -> bool:
    """The 0/1 value of a button's form; anything else is a bad request."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    value = request.form.get(name)
    if value not in ("0", "1"):
        abort(400)
    return value == "1"


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = posted_flag("active")
    try:
        set_user_active(current_user, user, active)
    except UserError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.users")), 303
    db.session.commit()
    flash(f"Đã {'mở khóa' if active else 'khóa'} tài khoản {user.username}.", "success")
    return redirect(url_for("admin.users"), 303)


@bp.route("/audit")
def audit():
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if action := request.args.get("action"):
        stmt = stmt.where(AuditEvent.action.startswith(action))
    return render_template("admin/audit.html", page=paginate(stmt))


import registry.admin.campaigns  # noqa: E402,F401  (routes on bp)
import registry.admin.checklists  # noqa: E402,F401
import registry.admin.units  # noqa: E402,F401
