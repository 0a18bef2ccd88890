"""Display pages: the list, one display with its records and photos, and recording on site."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from registry.campaigns.models import Campaign
from registry.clock import local_today as today
from registry.displays import lifecycle
from registry.displays.forms import PHOTO_INPUT, InspectionForm, SiteRecordForm
from registry.displays.models import CONDITIONS, DISPLAY_STATES, GPS_SOURCES, DisplayRecord
from registry.displays.operations import record_on_site
from registry.displays.queries import (
    DisplayFilters,
    asset_code_of,
    display_list,
    load_display_placement,
    load_photo,
    load_visible_placement,
    local_units,
    paginate_rows,
)
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.forms import show_refusal
from registry.storage.serving import stream_object
from registry.submissions.models import FORMATS

bp = Blueprint("displays", __name__)
bp.before_request(login_required(lambda: None))
bp.context_processor(lambda: {"conditions_label": CONDITIONS.get})

ACTIONS = {"installation": "install", "removal": "remove", "inspections": "inspect"}
DONE = {
    "install": _l("Đã ghi nhận lắp đặt."),
    "remove": _l("Đã ghi nhận tháo dỡ."),
    "inspect": _l("Đã ghi nhận kết quả kiểm tra."),
}


def filter_choices() -> dict:
    """What the filter bars of the list, map and dashboard offer."""
    return {
        "campaigns": db.session.scalars(
            sa.select(Campaign).order_by(Campaign.starts_on.desc())
        ).all(),
        "units": local_units(current_user),
        "states": DISPLAY_STATES,
        "format_choices": FORMATS,
    }


@bp.route("/displays/")
def index():
    """The displays the user may see, with filters (the list behind every dashboard figure)."""
    stmt = display_list(current_user, today(), DisplayFilters.from_args(request.args))
    page = paginate_rows(stmt)
    return render_template("displays/index.html", page=page, **filter_choices())


def _detail(placement, forms: dict | None = None, status: int = 200):
    day = today()
    display = lifecycle.display_of(placement)
    forms = forms or {}
    records = (
        db.session.scalars(
            sa.select(DisplayRecord)
            .where(DisplayRecord.display_id == display.id)
            .order_by(DisplayRecord.id.desc())
        ).all()
        if display
        else []
    )
    return render_template(
        "displays/detail.html",
        placement=placement,
        submission=placement.submission,
        display=display,
        state=lifecycle.state_of(placement, display, day),
        actions=lifecycle.available_actions(current_user, placement, display, day),
        records=records,
        asset_code=asset_code_of(placement),
        install_form=forms.get("install") or SiteRecordForm(prefix="install"),
        remove_form=forms.get("remove") or SiteRecordForm(prefix="remove"),
        inspect_form=forms.get("inspect") or InspectionForm(prefix="inspect"),
        photo_input=PHOTO_INPUT,
        states=DISPLAY_STATES,
        conditions=CONDITIONS,
        gps_sources=GPS_SOURCES,
        threshold_m=current_app.config["REGISTRY_PHOTO_DISTANCE_M"],
    ), status


@bp.route("/displays/<int:placement_id>")
def detail(placement_id: int):
    return _detail(load_display_placement(current_user, placement_id))


@bp.route(
    "/displays/<int:placement_id>/<any(installation, removal, inspections):what>",
    methods=["POST"],
)
def record(placement_id: int, what: str):
    """Record an installation, removal or inspection with its photos."""
    placement = load_visible_placement(current_user, placement_id)
    action = ACTIONS[what]
    form = (InspectionForm if action == "inspect" else SiteRecordForm)(prefix=action)
    if not form.validate_on_submit():
        return _detail(load_display_placement(current_user, placement_id), {action: form}, 400)
    try:
        record_on_site(
            current_user,
            placement,
            action,
            form.photo.data or [],
            lat=form.lat.data,
            lon=form.lon.data,
            note=form.note.data or "",
            condition=form.condition.data if action == "inspect" else None,
        )
    except UserFacingError as error:
        status = show_refusal(error, form)
        return _detail(load_display_placement(current_user, placement_id), {action: form}, status)
    db.session.commit()
    flash(str(DONE[action]), "success")
    return redirect(url_for("displays.detail", placement_id=placement.id), 303)


@bp.route("/displays/photos/<int:photo_id>/<any(preview, thumb, original):rendition>")
def photo(photo_id: int, rendition: str):
    """A site photo: its WebP preview or thumbnail inline, or the original as an attachment."""
    photo = load_photo(current_user, photo_id)
    if rendition == "original":
        return stream_object(
            "uploads",
            photo.storage_key,
            content_type=photo.content_type,
            filename=photo.original_name,
        )
    key = photo.preview_key if rendition == "preview" else photo.thumb_key
    response = stream_object("uploads", key, content_type="image/webp", inline=True)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
