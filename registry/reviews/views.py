"""Reviewer pages: the queue, the review page, version comparison and pinned comments."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from registry.campaigns.models import CHECKLIST_GROUPS
from registry.campaigns.queries import campaign_choices
from registry.clock import local_today
from registry.duedates import due_state, province_calendar
from registry.error_codes import ErrorCode
from registry.errors import error_response, wants_json
from registry.exceptions import InvalidInput, UserFacingError
from registry.extensions import db
from registry.forms import ConfirmForm, first_error
from registry.integers import int_arg
from registry.pagination import paginate
from registry.permissions import (
    can_answer_review,
    can_reply_annotation,
    can_resolve_annotation,
    can_review,
    can_sign,
    can_view_submission,
    require,
    sees_all_units,
)
from registry.reviews import operations
from registry.reviews.forms import AnnotationForm, ChecklistAnswersForm, ReplyForm
from registry.reviews.models import RESULTS, Annotation, Review
from registry.reviews.presenters import (
    annotations_of,
    checklist_diff,
    signoff_summary,
    since_last_decision,
    workbench_groups,
)
from registry.reviews.queries import (
    load_annotation,
    queue_counts,
    queue_rows,
    review_queue,
    signoff_queue,
)
from registry.submissions.forms import TransitionForm
from registry.submissions.models import FORMATS, STATUSES
from registry.submissions.presenters import nearest_viewpoint
from registry.submissions.queries import load_submission, load_version
from registry.textcheck.presenters import reading_view
from registry.units.queries import active_unit_choices
from registry.workflow import TRANSITIONS, available_actions

bp = Blueprint("reviews", __name__)
bp.before_request(login_required(lambda: None))
# A century: enough for any queue, and far from the dates a timedelta can reach.
MAX_WAITING_DAYS = 36_500


@bp.route("/")
def queue():
    require(sees_all_units(current_user))
    args = request.args
    stmt = review_queue(
        status=args.get("status") or None,
        campaign_id=int_arg("campaign_id"),
        unit_code=args.get("unit") or None,
        format=args.get("format") or None,
        waiting_days=int_arg("waiting_days", maximum=MAX_WAITING_DAYS),
        minority_scripts=args.get("scripts") == "1",
    )
    counts = queue_counts()
    page = paginate(queue_rows(stmt), rows=True, total=_known_total(counts))
    return render_template(
        "reviews/queue.html",
        page=page,
        dues=_due_states(s.due_on for s, _round, _scripts in page.items),
        units=active_unit_choices(),
        counts=counts,
        statuses=STATUSES,
        formats=FORMATS,
        campaigns=campaign_choices(),
        transition=TransitionForm(),
    )


def _known_total(counts: dict[str, int]) -> int | None:
    """The size of the queue as filtered, when the counts of its states already say it: no
    filter but the state (the queue as it opens); None for any other filter."""
    applied = {name: value for name, value in request.args.items() if value and name != "page"}
    if not applied:
        return sum(counts.values())
    if applied.keys() == {"status"} and applied["status"] in counts:
        return counts[applied["status"]]
    return None


def _due_states(days) -> dict:
    """How each due date of the page stands, worked out once per date (rows share dates)."""
    days = {day for day in days if day is not None}
    if not days:
        return {}
    today, calendar = local_today(), province_calendar()
    return {day: due_state(day, today, calendar) for day in days}


@bp.route("/signoff")
def signoff():
    """The head of division's page: what awaits signature, with what to read before signing."""
    require(can_sign(current_user))
    page = paginate(signoff_queue())
    return render_template(
        "reviews/signoff.html",
        page=page,
        items=[signoff_summary(s) for s in page.items],
        results=RESULTS,
        transitions=TRANSITIONS,
    )


@bp.route("/<int:submission_id>")
def detail(submission_id: int):
    submission = load_submission(current_user, submission_id)
    require(sees_all_units(current_user))
    review = operations.current_review(submission) or operations.previous_review(submission)
    version = review.version if review else submission.latest_version
    is_mine = review is not None and can_answer_review(current_user, review)
    return render_template(
        "reviews/detail.html",
        submission=submission,
        review=review,
        version=version,
        groups=workbench_groups(review) if review else [],
        remaining=sum(a.result is None for a in review.answers) if review else 0,
        group_labels=CHECKLIST_GROUPS,
        results=RESULTS,
        is_mine=is_mine,
        annotations=annotations_of(version.id) if version else [],
        text=reading_view(version) if version else None,
        viewpoint=nearest_viewpoint(submission),
        since=since_last_decision(submission, review),
        confirm=ConfirmForm(),
        transition=TransitionForm(lock_version=submission.lock_version),
        actions=available_actions(current_user, submission),
        transitions=TRANSITIONS,
    )


@bp.route("/<int:submission_id>/answers", methods=["POST"])
def answers(submission_id: int):
    submission = load_submission(current_user, submission_id)
    require(can_review(current_user))
    review = operations.current_review(submission)
    if review is None:
        abort(409)
    codes = [a.item.code for a in review.answers]
    form = ChecklistAnswersForm.for_items(codes)()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        if wants_json():
            return error_response(422, first_error(form), code="invalid")
        flash(first_error(form), "error")
        return detail(submission_id), 422
    entries = [
        {
            "item": code,
            "result": form[f"result-{code}"].data or None,
            "comment": form[f"comment-{code}"].data or "",
        }
        for code in codes
        if f"result-{code}" in request.form or f"comment-{code}" in request.form
    ]
    # A forged form naming an item twice: the fields keep the first value, so the repeat is
    # passed on for save_answers to refuse, as it refuses one in the API.
    entries += [
        {"item": code}
        for code in codes
        if max(len(request.form.getlist(f"{kind}-{code}")) for kind in ("result", "comment")) > 1
    ]
    try:
        operations.save_answers(current_user, review, entries)
    except UserFacingError as error:
        db.session.rollback()
        if wants_json():  # the page's script saves one item at a time and marks it in place
            return error_response(error.status, error.message, code=error.code)
        flash(error.message, "error")
        return detail(submission_id), error.status
    db.session.commit()
    if wants_json():
        return jsonify(saved=[entry["item"] for entry in entries])
    flash(_("Đã lưu kết quả đánh giá."), "success")
    return redirect(
        url_for("reviews.detail", submission_id=submission_id, _anchor="checklist"), 303
    )


@bp.route("/versions/<int:version_id>/annotations", methods=["POST"])
def annotate(version_id: int):
    version = load_version(current_user, version_id)
    require(can_review(current_user))
    form = AnnotationForm()
    back = url_for("reviews.detail", submission_id=version.submission_id)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        if wants_json():
            return error_response(422, first_error(form), code="invalid")
        flash(first_error(form), "error")
        return redirect(back, 303)
    try:
        note = operations.add_annotation(
            current_user, version, form.x.data, form.y.data, form.body.data
        )
    except InvalidInput as error:
        db.session.rollback()
        if wants_json():
            return error_response(error.status, error.message, code=error.code)
        flash(error.message, "error")
        return redirect(back, 303)
    db.session.commit()
    if wants_json():  # pinned without a reload: the page adds the pin and its line
        return jsonify(
            id=note.id,
            x=note.x,
            y=note.y,
            body=note.body,
            author=note.author.display_name,
            resolve_url=url_for("reviews.resolve", annotation_id=note.id),
        ), 201
    flash(_("Đã ghim ghi chú lên mẫu."), "success")
    return redirect(
        url_for("reviews.detail", submission_id=version.submission_id, _anchor="annotations"), 303
    )


@bp.route("/annotations/<int:annotation_id>/resolve", methods=["POST"])
def resolve(annotation_id: int):
    annotation = db.get_or_404(Annotation, annotation_id)
    submission = annotation.version.submission
    if not can_view_submission(current_user, submission):
        abort(404)
    require(can_resolve_annotation(current_user, annotation))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.resolve_annotation(current_user, annotation)
    db.session.commit()
    if wants_json():
        return jsonify(id=annotation.id, resolved=True)
    flash(_("Đã đánh dấu ghi chú là đã xử lý."), "success")
    target = "submissions.detail" if request.form.get("back") == "submission" else "reviews.detail"
    return redirect(url_for(target, submission_id=submission.id), 303)


@bp.route("/annotations/<int:annotation_id>/replies", methods=["POST"])
def reply(annotation_id: int):
    annotation = load_annotation(current_user, annotation_id)
    submission = annotation.version.submission
    require(can_reply_annotation(current_user, annotation))
    form = ReplyForm()
    target = "submissions.detail" if request.form.get("back") == "submission" else "reviews.detail"
    back = url_for(target, submission_id=submission.id, _anchor=f"pin-{annotation.id}")
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        if wants_json():
            return error_response(422, first_error(form), code=ErrorCode.INVALID)
        flash(first_error(form), "error")
        return redirect(back, 303)
    answer = operations.reply_to_annotation(current_user, annotation, form.body.data)
    db.session.commit()
    if wants_json():  # answered without a reload: the page adds the line
        return jsonify(id=answer.id, body=answer.body, author=answer.author.display_name), 201
    flash(_("Đã gửi trả lời."), "success")
    return redirect(back, 303)


@bp.route("/csrf-token")
def csrf_token():
    """A fresh form token for the page's script (the review page, the designer's forms), taken
    before sending and after signing in again."""
    return jsonify(csrf_token=generate_csrf())


@bp.route("/<int:submission_id>/compare")
def compare(submission_id: int):
    submission = load_submission(current_user, submission_id)
    versions = {v.id: v for v in submission.versions}
    if len(versions) < 2:
        flash(_("Hồ sơ mới có một phiên bản nên chưa so sánh được."), "info")
        return redirect(url_for("submissions.detail", submission_id=submission.id))
    ordered = list(versions.values())
    a = versions.get(int_arg("a")) or ordered[-2]
    b = versions.get(int_arg("b")) or ordered[-1]
    reviews = {
        v.id: db.session.scalar(
            sa.select(Review).where(Review.version_id == v.id).order_by(Review.id.desc()).limit(1)
        )
        for v in (a, b)
    }
    return render_template(
        "reviews/compare.html",
        submission=submission,
        a=a,
        b=b,
        versions=ordered,
        diff=checklist_diff(reviews[a.id], reviews[b.id]),
        results=RESULTS,
        pins={v.id: annotations_of(v.id) for v in (a, b)},
        viewpoint=nearest_viewpoint(submission),
    )
