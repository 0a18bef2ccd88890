"""Designer pages: submissions, artwork versions, placements and their workflow buttons."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from registry.audit import AuditEvent
from registry.campaigns.models import Campaign
from registry.campaigns.queries import open_campaign_choices
from registry.clock import local_today
from registry.errors import wants_json
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.forms import ConfirmForm, first_error, run_form, show_refusal
from registry.integers import int_arg
from registry.library.models import ApprovedAsset
from registry.pagination import paginate
from registry.permissions import (
    can_create_submission,
    can_edit_submission,
    can_retry_renditions,
    require,
)
from registry.reviews.presenters import designer_feedback
from registry.storage.spool import allow_print_file
from registry.submissions import ingest, operations, renditions
from registry.submissions.forms import (
    PlacementForm,
    SubmissionForm,
    TransitionForm,
    VersionUploadForm,
)
from registry.submissions.models import FORMATS, STATUSES
from registry.submissions.presenters import version_warnings, viewing_defaults_text
from registry.submissions.queries import (
    listed_submissions,
    load_placement,
    load_submission,
    load_version,
    open_campaigns,
    slogans_by_ids,
    submission_list,
    unit_by_code,
)
from registry.units.models import Unit, in_vietnamese_order
from registry.workflow import TRANSITIONS, apply_transition, available_actions

bp = Blueprint("submissions", __name__)
bp.before_request(login_required(lambda: None))


def _lock_version(form) -> int | None:
    """The lock version the form was loaded with; a forged value counts as stale."""
    raw = form.lock_version.data
    if not raw:
        return None
    raw = str(raw)
    return int(raw) if raw.isascii() and raw.isdigit() else -1


@bp.route("/")
def index():
    args = request.args
    stmt = submission_list(
        current_user,
        status=args.get("status") or None,
        campaign_id=int_arg("campaign_id"),
        format=args.get("format") or None,
        q=args.get("q", "").strip() or None,
        unit_code=args.get("unit") or None,
    )
    return render_template(
        "submissions/index.html",
        page=paginate(listed_submissions(stmt)),
        statuses=STATUSES,
        formats=FORMATS,
        campaigns=open_campaign_choices(local_today()),
    )


def _submission_form(submission=None) -> SubmissionForm:
    form = SubmissionForm(obj=submission)
    campaigns = [submission.campaign] if submission else open_campaigns(local_today())
    form.campaign_id.choices = {c.id: c.title for c in campaigns}
    form.slogan_ids.choices = {s.id: s.text for c in campaigns for s in c.active_slogans}
    if request.method == "GET" and submission is not None:
        form.slogan_ids.data = [s.id for s in submission.slogans]
        form.lock_version.data = submission.lock_version
    return form


def _submission_fields(form: SubmissionForm) -> dict:
    return {
        "title": form.title.data.strip(),
        "format": form.format.data,
        "scope": form.scope.data,
        "width_cm": float(form.width_cm.data),
        "height_cm": float(form.height_cm.data),
        "other_text": form.other_text.data.strip(),
        "description": form.description.data.strip(),
    }


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(can_create_submission(current_user))
    form = _submission_form()
    outcome = run_form(
        form,
        lambda: operations.create_submission(
            current_user,
            db.get_or_404(Campaign, form.campaign_id.data),
            slogans_by_ids(form.slogan_ids.data),
            **_submission_fields(form),
        ),
    )
    if outcome.done:
        flash(_("Đã tạo hồ sơ. Hãy tải lên tệp mẫu và khai báo vị trí treo/dựng."), "success")
        return redirect(url_for("submissions.detail", submission_id=outcome.value.id))
    return render_template("submissions/form.html", form=form), outcome.status


@bp.route("/<int:submission_id>")
def detail(submission_id: int):
    submission = load_submission(current_user, submission_id)
    history = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.submission_id == submission.id)
        .order_by(AuditEvent.id)
    ).all()
    upload = VersionUploadForm(lock_version=submission.lock_version)
    return render_template(
        "submissions/detail.html",
        submission=submission,
        history=history,
        upload=upload,
        confirm=ConfirmForm(),
        transition=TransitionForm(lock_version=submission.lock_version),
        actions=available_actions(current_user, submission),
        transitions=TRANSITIONS,
        can_edit=can_edit_submission(current_user, submission),
        warnings={v.id: version_warnings(v, submission) for v in submission.versions},
        feedback=designer_feedback(submission),
        asset=db.session.scalar(
            sa.select(ApprovedAsset)
            .where(ApprovedAsset.submission_id == submission.id)
            .order_by(ApprovedAsset.id.desc())
            .limit(1)
        ),
    )


@bp.route("/<int:submission_id>/edit", methods=["GET", "POST"])
def edit(submission_id: int):
    submission = load_submission(current_user, submission_id)
    require(can_edit_submission(current_user, submission))
    form = _submission_form(submission)
    outcome = run_form(
        form,
        lambda: operations.update_submission(
            current_user,
            submission,
            slogans_by_ids(form.slogan_ids.data),
            expected_lock_version=_lock_version(form),
            **_submission_fields(form),
        ),
    )
    if outcome.done:
        flash(_("Đã lưu thay đổi."), "success")
        return redirect(url_for("submissions.detail", submission_id=submission.id))
    return render_template(
        "submissions/form.html", form=form, submission=submission
    ), outcome.status


@bp.route("/<int:submission_id>/versions", methods=["POST"])
def upload_version(submission_id: int):
    allow_print_file()
    submission = load_submission(current_user, submission_id)
    require(can_edit_submission(current_user, submission))
    form = VersionUploadForm()
    if not form.validate_on_submit():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return _upload_answer(submission, 400, message, "error")
    try:
        version = ingest.add_version(
            current_user,
            submission,
            form.file.data,
            form.print_file.data or None,
            expected_lock_version=_lock_version(form),
        )
    except UserFacingError as error:
        db.session.rollback()
        return _upload_answer(submission, error.status, error.message, "error")
    db.session.commit()
    return _upload_answer(
        submission, 201, _("Đã tải lên phiên bản %(version)s.", version=version.label), "success"
    )


@bp.route("/versions/<int:version_id>/renditions.json")
def renditions_state(version_id: int):
    """Whether the version's preview is still being made; once it is not, what to show."""
    version = load_version(current_user, version_id)
    pending = version.renditions_state == "pending"
    body = {"state": version.renditions_state, "pending": pending}
    if not pending:
        body["html"] = render_template("submissions/_version_image.html", v=version)
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/versions/<int:version_id>/renditions/retry", methods=["POST"])
def retry_renditions(version_id: int):
    """Ask the worker again for a version's preview and thumbnail that failed."""
    version = load_version(current_user, version_id)
    submission = version.submission
    require(can_retry_renditions(current_user, submission))
    target = url_for(
        "submissions.detail", submission_id=submission.id, _anchor=f"v{version.number}"
    )
    try:
        renditions.retry_renditions(current_user, version)
    except UserFacingError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(target, 303)
    db.session.commit()
    flash(
        _("Đang tạo lại ảnh xem trước của phiên bản %(version)s.", version=version.label),
        "success",
    )
    return redirect(target, 303)


def _upload_answer(submission, status: int, message: str, category: str):
    """JSON for the page's upload script (progress bar), else a message and a redirect."""
    target = url_for("submissions.detail", submission_id=submission.id)
    if wants_json():
        return {"message": message, "redirect": target, "ok": status < 400}, status
    flash(message, category)
    return redirect(target, 303)


def _placement_form(submission, placement=None) -> PlacementForm:
    form = PlacementForm(obj=placement)
    if submission.scope == "unit":
        form.unit_code.choices = {submission.unit.code: submission.unit.name}
    else:
        units = db.session.scalars(sa.select(Unit).where(Unit.is_active))
        form.unit_code.choices = {u.code: u.name for u in in_vietnamese_order(units)}
    if request.method == "GET":
        form.unit_code.data = placement.unit.code if placement else submission.unit.code
    return form


def _placement_fields(form: PlacementForm) -> dict:
    return {
        "address": form.address.data.strip(),
        "lat": float(form.lat.data),
        "lon": float(form.lon.data),
        "site_type": form.site_type.data,
        "quantity": form.quantity.data,
        "viewing_distance_m": (
            None if form.viewing_distance_m.data is None else float(form.viewing_distance_m.data)
        ),
        "display_from": form.display_from.data,
        "display_to": form.display_to.data,
    }


@bp.route("/<int:submission_id>/placements/new", methods=["GET", "POST"])
def placement_new(submission_id: int):
    submission = load_submission(current_user, submission_id)
    require(can_edit_submission(current_user, submission))
    return _placement_page(submission)


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
def placement_edit(placement_id: int):
    placement = load_placement(current_user, placement_id)
    require(can_edit_submission(current_user, placement.submission))
    return _placement_page(placement.submission, placement)


def _placement_page(submission, placement=None):
    """Show the placement form; on a valid post add (or change) the placement."""
    form = _placement_form(submission, placement)

    def save():
        unit = unit_by_code(form.unit_code.data) or abort(400)
        if placement is None:
            return operations.add_placement(
                current_user, submission, unit, **_placement_fields(form)
            )
        return operations.update_placement(current_user, placement, unit, **_placement_fields(form))

    outcome = run_form(form, save)
    if outcome.done:
        flash(_("Đã lưu vị trí."), "success")
        return redirect(url_for("submissions.detail", submission_id=submission.id))
    return render_template(
        "submissions/placement_form.html",
        form=form,
        submission=submission,
        placement=placement,
        viewing_defaults=viewing_defaults_text(),
    ), outcome.status


@bp.route("/placements/<int:placement_id>/delete", methods=["POST"])
def placement_delete(placement_id: int):
    placement = load_placement(current_user, placement_id)
    submission = placement.submission
    require(can_edit_submission(current_user, submission))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.delete_placement(current_user, placement)
    except UserFacingError as error:
        show_refusal(error)
        return redirect(url_for("submissions.detail", submission_id=submission.id), 303)
    db.session.commit()
    flash(_("Đã xóa vị trí."), "success")
    return redirect(url_for("submissions.detail", submission_id=submission.id), 303)


@bp.route("/<int:submission_id>/transition", methods=["POST"])
def transition(submission_id: int):
    submission = load_submission(current_user, submission_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors or "action" in form.errors:
            abort(400)
        flash(str(first_error(form)), "error")
        return detail(submission_id), 422
    action = form.action.data
    try:
        apply_transition(
            current_user,
            submission,
            action,
            comment=form.comment.data or "",
            expected_lock_version=_lock_version(form),
        )
    except UserFacingError as error:
        show_refusal(error)
        return detail(submission_id), error.status
    db.session.commit()
    label = TRANSITIONS[action].label
    flash(_("Đã thực hiện: %(action)s.", action=label), "success")
    if action == "claim":
        return redirect(url_for("reviews.detail", submission_id=submission.id), 303)
    if action in ("sign", "return"):
        return redirect(url_for("reviews.signoff"), 303)
    return redirect(url_for("submissions.detail", submission_id=submission.id), 303)
