"""Admin pages: checklist versions and their items (routes on the admin blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from registry.admin.views import bp
from registry.campaigns import checklists as ops
from registry.campaigns.forms import (
    ChecklistCopyForm,
    ChecklistItemForm,
    ChecklistItemNewForm,
    ChecklistUploadForm,
)
from registry.campaigns.models import (
    CHECK_KINDS,
    CHECKLIST_GROUPS,
    Campaign,
    ChecklistItem,
    ChecklistVersion,
)
from registry.exceptions import InvalidInput, TooLarge, UserFacingError
from registry.extensions import db
from registry.forms import show_refusal
from registry.reviews.models import Review

MAX_CHECKLIST_BYTES = 1 << 20


def checklist_version_choices() -> dict[int, str]:
    versions = db.session.scalars(
        sa.select(ChecklistVersion).order_by(
            ChecklistVersion.created_at.desc(), ChecklistVersion.id.desc()
        )
    )
    return {v.id: v.label for v in versions}


# Checklist versions


def _count_by(column) -> dict[int, int]:
    return dict(db.session.execute(sa.select(column, sa.func.count()).group_by(column)).all())


@bp.route("/checklists")
def checklists():
    versions = db.session.scalars(
        sa.select(ChecklistVersion).order_by(
            ChecklistVersion.created_at.desc(), ChecklistVersion.id.desc()
        )
    ).all()
    users: dict[int, list[Campaign]] = {}
    for c in db.session.scalars(sa.select(Campaign).order_by(Campaign.code)):
        users.setdefault(c.checklist_version_id, []).append(c)
    return render_template(
        "admin/checklists.html",
        versions=versions,
        items=_count_by(ChecklistItem.version_id),
        reviews=_count_by(Review.checklist_version_id),
        campaigns=users,
    )


@bp.route("/checklists/<int:version_id>")
def checklist(version_id: int):
    version = db.get_or_404(ChecklistVersion, version_id)
    campaigns = db.session.scalars(
        sa.select(Campaign).where(Campaign.checklist_version_id == version.id)
    ).all()
    groups = {g: [i for i in version.items if i.group_code == g] for g in CHECKLIST_GROUPS}
    return render_template(
        "admin/checklist.html",
        version=version,
        groups=groups,
        group_labels=CHECKLIST_GROUPS,
        kinds=CHECK_KINDS,
        campaigns=campaigns,
        frozen=ops.is_checklist_version_frozen(version),
    )


@bp.route("/checklists/new", methods=["GET", "POST"])
def checklist_new():
    form = ChecklistCopyForm()
    form.source_id.choices = checklist_version_choices()
    if not form.is_submitted():
        form.source_id.data = request.args.get("source", type=int)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        source = db.get_or_404(ChecklistVersion, form.source_id.data)
        try:
            version = ops.copy_checklist_version(
                current_user, source, form.label.data, form.note.data
            )
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(f"Đã tạo phiên bản “{version.label}”; hãy sửa các tiêu chí cần sửa.", "success")
            return redirect(url_for("admin.checklist", version_id=version.id), 303)
    return render_template("admin/checklist_new.html", form=form), status


def _read_markdown(file) -> str:
    data = file.stream.read(MAX_CHECKLIST_BYTES + 1)
    if len(data) > MAX_CHECKLIST_BYTES:
        raise TooLarge("Tệp bộ tiêu chí quá lớn (tối đa 1 MB).", field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("Tệp phải là văn bản Markdown mã hóa UTF-8.", field="file") from error


@bp.route("/checklists/upload", methods=["GET", "POST"])
def checklist_upload():
    form = ChecklistUploadForm()
    versions = checklist_version_choices()
    form.flags_from.choices = {
        0: "Không lấy: mọi tiêu chí bắt buộc, cho phép không áp dụng",
        **versions,
    }
    if not form.is_submitted():
        form.flags_from.data = next(iter(versions), 0)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        flags_from = db.session.get(ChecklistVersion, form.flags_from.data)
        try:
            version = ops.import_checklist_version(
                current_user,
                form.label.data,
                form.note.data,
                _read_markdown(form.file.data),
                flags_from=flags_from,
                filename=(form.file.data.filename or "")[:255],
            )
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(
                f"Đã tạo phiên bản “{version.label}” với {len(version.items)} tiêu chí.", "success"
            )
            return redirect(url_for("admin.checklist", version_id=version.id), 303)
    return render_template("admin/checklist_upload.html", form=form), status


def _item_fields(form: ChecklistItemForm) -> dict:
    return {name: form[name].data for name in ops.ITEM_FIELDS}


@bp.route("/checklists/items/<int:item_id>/edit", methods=["GET", "POST"])
def checklist_item_edit(item_id: int):
    item = db.get_or_404(ChecklistItem, item_id)
    form = ChecklistItemForm(obj=item)
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            ops.update_checklist_item(current_user, item, **_item_fields(form))
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(f"Đã lưu tiêu chí {item.code}.", "success")
            return redirect(url_for("admin.checklist", version_id=item.version_id), 303)
    return render_template(
        "admin/checklist_item_form.html",
        form=form,
        item=item,
        version=item.version,
        frozen=ops.is_checklist_version_frozen(item.version),
    ), status


@bp.route("/checklists/<int:version_id>/items/new", methods=["GET", "POST"])
def checklist_item_new(version_id: int):
    version = db.get_or_404(ChecklistVersion, version_id)
    form = ChecklistItemNewForm()
    if not form.is_submitted():
        form.is_required.data = form.allows_na.data = True
        form.check_kind.data = "human"
    status = 400 if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            item = ops.add_checklist_item(
                current_user, version, form.group_code.data, **_item_fields(form)
            )
        except UserFacingError as error:
            status = show_refusal(error, form)
        else:
            db.session.commit()
            flash(f"Đã thêm tiêu chí {item.code}.", "success")
            return redirect(url_for("admin.checklist", version_id=version.id), 303)
    return render_template(
        "admin/checklist_item_form.html",
        form=form,
        item=None,
        version=version,
        frozen=ops.is_checklist_version_frozen(version),
    ), status
