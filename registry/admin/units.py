"""Admin pages: units (routes on the admin blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.admin.blueprint import apply_flag, bp
from registry.campaigns.forms import UnitCreateForm, UnitRenameForm
from registry.extensions import db
from registry.forms import ConfirmForm, run_form
from registry.pagination import paginate
from registry.search import matching_units
from registry.units import operations as ops
from registry.units.models import UNIT_KINDS, Unit


def _to_unit(unit: Unit):
    return redirect(url_for("admin.units", q=unit.code), 303)


@bp.route("/units")
def units():
    stmt = sa.select(Unit).order_by(Unit.kind, Unit.name)
    if q := request.args.get("q", "").strip():
        stmt = stmt.where(matching_units(q))
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
    outcome = run_form(form, lambda: ops.create_unit(current_user, form.code.data, form.name.data))
    if outcome.done:
        flash(
            _(
                "Đã thêm đơn vị %(name)s (%(code)s).",
                name=outcome.value.name,
                code=outcome.value.code,
            ),
            "success",
        )
        return _to_unit(outcome.value)
    return render_template("admin/unit_form.html", form=form, unit=None), outcome.status


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = UnitRenameForm(obj=unit)
    outcome = run_form(form, lambda: ops.rename_unit(current_user, unit, form.name.data))
    if outcome.done:
        flash(_("Đã đổi tên đơn vị %(code)s.", code=unit.code), "success")
        return _to_unit(unit)
    return render_template("admin/unit_form.html", form=form, unit=unit), outcome.status


@bp.route("/units/<int:unit_id>/active", methods=["POST"])
def unit_active(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    active = apply_flag("active", lambda on: ops.set_unit_active(current_user, unit, on))
    if active:
        message = _("Đã dùng lại đơn vị %(name)s; tài khoản của đơn vị giữ nguyên.", name=unit.name)
    else:
        message = _(
            "Đã ngưng dùng đơn vị %(name)s; tài khoản của đơn vị giữ nguyên.", name=unit.name
        )
    flash(message, "success")
    return _to_unit(unit)
