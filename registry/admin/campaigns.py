"""Admin pages: campaigns and their slogans (routes on the admin blueprint)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from registry.admin.blueprint import apply_flag, bp
from registry.admin.checklists import checklist_version_choices
from registry.campaigns import operations as ops
from registry.campaigns.forms import (
    CampaignCreateForm,
    CampaignEditForm,
    ChecklistAssignForm,
    SloganForm,
)
from registry.campaigns.models import Campaign, ChecklistVersion, Slogan
from registry.extensions import db
from registry.forms import ConfirmForm, run_form
from registry.pagination import paginate


def _campaign_fields(form: CampaignEditForm) -> dict:
    return {
        "title": form.title.data,
        "legal_basis": form.legal_basis.data,
        "description": form.description.data,
        "starts_on": form.starts_on.data,
        "ends_on": form.ends_on.data,
        "signoff_steps": form.signoff_steps.data,
        "review_days": form.review_days.data,
        "answer_days": form.answer_days.data,
    }


def _to_campaign(campaign_id: int, anchor: str = ""):
    return redirect(url_for("admin.campaign", campaign_id=campaign_id) + anchor, 303)


# Campaigns


@bp.route("/campaigns")
def campaigns():
    stmt = sa.select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    return render_template("admin/campaigns.html", page=paginate(stmt))


@bp.route("/campaigns/new", methods=["GET", "POST"])
def campaign_new():
    form = CampaignCreateForm()
    form.checklist_version_id.choices = checklist_version_choices()
    outcome = run_form(
        form,
        lambda: ops.create_campaign(
            current_user,
            code=form.code.data,
            checklist_version=db.get_or_404(ChecklistVersion, form.checklist_version_id.data),
            **_campaign_fields(form),
        ),
    )
    if outcome.done:
        flash(_("Đã tạo đợt tuyên truyền %(code)s.", code=outcome.value.code), "success")
        return _to_campaign(outcome.value.id)
    return render_template("admin/campaign_form.html", form=form), outcome.status


def _campaign_page(campaign: Campaign, *, edit=None, slogan=None, assign=None, status=200):
    """The campaign page; the form that was posted keeps its input, the others are fresh."""
    assign = assign or ChecklistAssignForm(
        formdata=None, checklist_version_id=campaign.checklist_version_id
    )
    assign.checklist_version_id.choices = checklist_version_choices()
    html = render_template(
        "admin/campaign.html",
        campaign=campaign,
        edit=edit or CampaignEditForm(formdata=None, obj=campaign),
        slogan=slogan or SloganForm(formdata=None),
        assign=assign,
        uses={s.id: ops.slogan_use_count(s) for s in campaign.slogans},
        confirm=ConfirmForm(formdata=None),
    )
    return html, status


@bp.route("/campaigns/<int:campaign_id>", methods=["GET", "POST"])
def campaign(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    form = CampaignEditForm(obj=campaign)
    outcome = run_form(
        form, lambda: ops.update_campaign(current_user, campaign, **_campaign_fields(form))
    )
    if outcome.done:
        flash(_("Đã lưu thay đổi.") if outcome.value else _("Không có thay đổi nào."), "success")
        return _to_campaign(campaign.id)
    return _campaign_page(campaign, edit=form, status=outcome.status)


@bp.route("/campaigns/<int:campaign_id>/closed", methods=["POST"])
def campaign_closed(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    closed = apply_flag("closed", lambda on: ops.set_campaign_closed(current_user, campaign, on))
    flash(_("Đã đóng đợt tuyên truyền.") if closed else _("Đã mở lại đợt tuyên truyền."), "success")
    return _to_campaign(campaign.id)


@bp.route("/campaigns/<int:campaign_id>/checklist", methods=["POST"])
def campaign_checklist(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    form = ChecklistAssignForm()
    form.checklist_version_id.choices = checklist_version_choices()

    def assign() -> ChecklistVersion:
        version = db.get_or_404(ChecklistVersion, form.checklist_version_id.data)
        ops.assign_checklist_version(current_user, campaign, version)
        return version

    outcome = run_form(form, assign)
    if not outcome.done:
        return _campaign_page(campaign, assign=form, status=outcome.status)
    flash(
        _(
            "Từ nay các lượt thẩm định mới của đợt dùng bộ tiêu chí “%(label)s”; "
            "các lượt đã có giữ nguyên phiên bản cũ.",
            label=outcome.value.label,
        ),
        "success",
    )
    return _to_campaign(campaign.id)


# Slogans


@bp.route("/campaigns/<int:campaign_id>/slogans", methods=["POST"])
def slogan_new(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    form = SloganForm()
    outcome = run_form(
        form, lambda: ops.add_slogan(current_user, campaign, form.text.data, form.note.data)
    )
    if not outcome.done:
        return _campaign_page(campaign, slogan=form, status=outcome.status)
    flash(_("Đã thêm khẩu hiệu."), "success")
    return _to_campaign(campaign.id, "#khau-hieu")


@bp.route("/campaigns/<int:campaign_id>/slogans/official", methods=["POST"])
def slogans_official(campaign_id: int):
    campaign = db.get_or_404(Campaign, campaign_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = ops.mark_slogans_official(current_user, campaign)
    db.session.commit()
    message = ngettext(
        "Đã ghi nhận danh mục khẩu hiệu chính thức (%(num)d khẩu hiệu mẫu).",
        "Đã ghi nhận danh mục khẩu hiệu chính thức (%(num)d khẩu hiệu mẫu).",
        count,
    )
    flash(message, "success")
    return _to_campaign(campaign.id, "#khau-hieu")


@bp.route("/slogans/<int:slogan_id>/edit", methods=["GET", "POST"])
def slogan_edit(slogan_id: int):
    slogan = db.get_or_404(Slogan, slogan_id)
    form = SloganForm(obj=slogan)
    outcome = run_form(
        form, lambda: ops.update_slogan(current_user, slogan, form.text.data, form.note.data)
    )
    if outcome.done:
        flash(_("Đã lưu khẩu hiệu."), "success")
        return _to_campaign(slogan.campaign_id, "#khau-hieu")
    used = ops.slogan_use_count(slogan)
    return render_template(
        "admin/campaign_slogan_form.html", form=form, slogan=slogan, used=used
    ), outcome.status


@bp.route("/slogans/<int:slogan_id>/active", methods=["POST"])
def slogan_active(slogan_id: int):
    slogan = db.get_or_404(Slogan, slogan_id)
    active = apply_flag("active", lambda on: ops.set_slogan_active(current_user, slogan, on))
    flash(_("Đã dùng lại khẩu hiệu.") if active else _("Đã ngưng dùng khẩu hiệu."), "success")
    return _to_campaign(slogan.campaign_id, "#khau-hieu")
