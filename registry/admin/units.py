"""Admin pages: units (routes on the admin blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.admin.forms import ConfirmForm
from registry.admin.views import bp, posted_flag
from registry.campaigns.forms import UnitCreateForm, UnitRenameForm
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.forms import show_refusal
from registry.pagination import paginate
from registry.text import name_search_key
from registry.units import operations as ops
from registry.units.models import UNIT_KINDS, Unit

# Units


@bp.route("/units")
def units():
    stmt = sa.select(Unit).order_by(Unit.kind, Unit.name)
    if q := request.args.get("q", "").strip():
        stmt = stmt.where(
            sa.or_(
                Unit.name_folded.contains(name_search_key(q), autoescape=True),
                Unit.code.contains(q.upper(), autoescape=True),
            )
        )
    if (kind := request.args.get("kind")) in UNIT_KINDS:
        stmt = stmt.where(Unit.kind == kind)
    if (active := request.args.get("active")) in ("0", "1"):
        stmt = stmt.where(Unit.is_active == (active == "1"))
    return render_template(
        "admin/units.html", page=paginate(stmt), kinds=UNIT_KINDS, confirm=ConfirmForm()
    )


@bp.route("/units/new", methods=["GET", "POST"])
def unit_new():
    form = UnitCreateForm()
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            unit = ops.create_unit(current_user, form.code.data, form.name.data)
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(f"Đã thêm đơn vị {unit.name} ({unit.code}).", "success")
            return redirect(url_for("admin.units", q=unit.code), 303)
    return render_template("admin/unit_form.html", form=form, unit=None), status


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitRenameForm(obj=unit)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            ops.rename_unit(current_user, unit, form.name.data)
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(f"Đã đổi tên đơn vị {unit.code}.", "success")
            return redirect(url_for("admin.units", q=unit.code), 303)
    return render_template("admin/unit_form.html", form=form, unit=unit), status


@bp.route("/units/<int:unit_id>/active", methods=["POST"])
def unit_active(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    active = posted_flag("active")
    ops.set_unit_active(current_user, unit, active)
    db.session.commit()
    message = "Đã dùng lại" if active else "Đã ngưng dùng"
    flash(f"{message} đơn vị {unit.name}; tài khoản của đơn vị giữ nguyên.", "success")
    return redirect(url_for("admin.units", q=unit.code), 303)
