"""Admin pages: checklist versions and their items (routes on the admin blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry.admin.blueprint import bp
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
from registry.exceptions import InvalidInput, TooLarge
from registry.extensions import db
from registry.forms import run_form
from registry.integers import int_arg
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


def _to_version(version_id: int):
    return redirect(url_for("admin.checklist", version_id=version_id), 303)


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
        form.source_id.data = int_arg("source")
    outcome = run_form(
        form,
        lambda: ops.copy_checklist_version(
            current_user,
            db.get_or_404(ChecklistVersion, form.source_id.data),
            form.label.data,
            form.note.data,
        ),
    )
    if outcome.done:
        version = outcome.value
        flash(
            _("Đã tạo phiên bản “%(label)s”; hãy sửa các tiêu chí cần sửa.", label=version.label),
            "success",
        )
        return _to_version(version.id)
    return render_template("admin/checklist_new.html", form=form), outcome.status


def _read_markdown(file) -> str:
    data = file.stream.read(MAX_CHECKLIST_BYTES + 1)
    if len(data) > MAX_CHECKLIST_BYTES:
        raise TooLarge(_("Tệp bộ tiêu chí quá lớn (tối đa 1 MB)."), field="file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(_("Tệp phải là văn bản Markdown mã hóa UTF-8."), field="file") from error


@bp.route("/checklists/upload", methods=["GET", "POST"])
def checklist_upload():
    form = ChecklistUploadForm()
    versions = checklist_version_choices()
    form.flags_from.choices = {
        0: _("Không lấy: mọi tiêu chí bắt buộc, cho phép không áp dụng"),
        **versions,
    }
    if not form.is_submitted():
        form.flags_from.data = next(iter(versions), 0)
    outcome = run_form(
        form,
        lambda: ops.import_checklist_version(
            current_user,
            form.label.data,
            form.note.data,
            _read_markdown(form.file.data),
            flags_from=db.session.get(ChecklistVersion, form.flags_from.data),
            filename=(form.file.data.filename or "")[:255],
        ),
    )
    if outcome.done:
        version = outcome.value
        message = ngettext(
            "Đã tạo phiên bản “%(label)s” với %(num)d tiêu chí.",
            "Đã tạo phiên bản “%(label)s” với %(num)d tiêu chí.",
            len(version.items),
            label=version.label,
        )
        flash(message, "success")
        return _to_version(version.id)
    return render_template("admin/checklist_upload.html", form=form), outcome.status


def _item_fields(form: ChecklistItemForm) -> dict:
    return {name: form[name].data for name in ops.ITEM_FIELDS}


def _item_page(form, version: ChecklistVersion, item: ChecklistItem | None, status: int):
    html = render_template(
        "admin/checklist_item_form.html",
        form=form,
        item=item,
        version=version,
        frozen=ops.is_checklist_version_frozen(version),
    )
    return html, status


@bp.route("/checklists/items/<int:item_id>/edit", methods=["GET", "POST"])
def checklist_item_edit(item_id: int):
    item = db.get_or_404(ChecklistItem, item_id)
    form = ChecklistItemForm(obj=item)
    outcome = run_form(
        form, lambda: ops.update_checklist_item(current_user, item, **_item_fields(form))
    )
    if outcome.done:
        flash(_("Đã lưu tiêu chí %(code)s.", code=item.code), "success")
        return _to_version(item.version_id)
    return _item_page(form, item.version, item, outcome.status)


@bp.route("/checklists/<int:version_id>/items/new", methods=["GET", "POST"])
def checklist_item_new(version_id: int):
    version = db.get_or_404(ChecklistVersion, version_id)
    form = ChecklistItemNewForm()
    if not form.is_submitted():
        form.is_required.data = form.allows_na.data = True
        form.check_kind.data = "human"
    outcome = run_form(
        form,
        lambda: ops.add_checklist_item(
            current_user, version, form.group_code.data, **_item_fields(form)
        ),
    )
    if outcome.done:
        flash(_("Đã thêm tiêu chí %(code)s.", code=outcome.value.code), "success")
        return _to_version(version.id)
    return _item_page(form, version, None, outcome.status)
