"""Admin pages: accounts (create, reset password, deactivate) and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry.admin.audit_log import audit_filters, audit_query, csv_rows, filter_values, readable
from registry.admin.blueprint import apply_flag, bp
from registry.admin.forms import UserCreateForm
from registry.auth.models import ROLES, User
from registry.auth.operations import (
    create_user,
    reset_password,
    set_reads_minority_scripts,
    set_user_active,
)
from registry.auth.queries import user_list
from registry.clock import local_today
from registry.extensions import db
from registry.forms import ConfirmForm, first_error, run_form
from registry.i18n import current_language
from registry.pagination import paginate
from registry.units.models import Unit, in_vietnamese_order

__all__ = ["bp"]


def _unit_choices() -> dict[str, str]:
    units = in_vietnamese_order(db.session.scalars(sa.select(Unit).where(Unit.is_active)))
    return {u.code: f"{u.name} ({u.code})" for u in sorted(units, key=lambda u: u.is_department)}


@bp.route("/users")
def users():
    stmt = user_list(q=request.args.get("q", "").strip(), role=request.args.get("role"))
    return render_template(
        "admin/users.html", page=paginate(stmt), roles=ROLES, confirm=ConfirmForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserCreateForm()
    form.unit.choices = _unit_choices()
    outcome = run_form(
        form,
        lambda: create_user(
            current_user,
            form.username.data,
            form.password.data,
            form.role.data,
            db.session.scalar(sa.select(Unit).where(Unit.code == form.unit.data)),
            form.full_name.data,
        ),
    )
    if outcome.done:
        flash(_("Đã tạo tài khoản %(username)s.", username=outcome.value.username), "success")
        return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form), outcome.status


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
def user_password(user_id: int):
    """Reset a password to a temporary one, shown once, that the user must change."""
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    outcome = run_form(form, lambda: reset_password(current_user, user))
    if outcome.done:
        page = render_template(
            "admin/user_password.html", form=form, user=user, temporary=outcome.value
        )
        # The temporary password is in this page only: never cached, never flashed.
        return page, 200, {"Cache-Control": "no-store"}
    return render_template("admin/user_password.html", form=form, user=user), outcome.status


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    active = apply_flag("active", lambda on: set_user_active(current_user, user, on))
    if active is not None:
        if active:
            flash(_("Đã mở khóa tài khoản %(username)s.", username=user.username), "success")
        else:
            flash(_("Đã khóa tài khoản %(username)s.", username=user.username), "success")
    return redirect(url_for("admin.users"), 303)


@bp.route("/users/<int:user_id>/scripts", methods=["POST"])
def user_scripts(user_id: int):
    user = db.get_or_404(User, user_id)
    reads = apply_flag("scripts", lambda on: set_reads_minority_scripts(current_user, user, on))
    if reads is not None:
        if reads:
            message = _("Đã ghi nhận %(username)s đọc được chữ Khmer/Chăm.", username=user.username)
        else:
            message = _(
                "Đã ghi nhận %(username)s không đọc được chữ Khmer/Chăm.", username=user.username
            )
        flash(message, "success")
    return redirect(url_for("admin.users"), 303)


@bp.route("/audit")
def audit():
    """The audit log in words, filtered by who, unit, kind and days."""
    form = audit_filters()
    if not form.validate():
        return render_template("admin/audit.html", form=form, page=None, rows=[]), 400
    page = paginate(audit_query(**filter_values(form)))
    return render_template("admin/audit.html", form=form, page=page, rows=readable(page.items))


@bp.route("/audit.csv")
def audit_csv():
    """The filtered audit log as a CSV file, streamed."""
    form = audit_filters()
    if not form.validate():
        abort(400, description=first_error(form))
    rows = csv_rows(audit_query(**filter_values(form)))
    prefix = "audit-log" if current_language() == "en" else "nhat-ky"
    name = f"{prefix}-{local_today():%Y%m%d}.csv"
    return Response(
        stream_with_context(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
