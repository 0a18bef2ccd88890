"""The user's notifications: the list, marking read, and how each kind reaches them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from registry.extensions import db
from registry.forms import ConfirmForm, run_form
from registry.notifications import operations
from registry.notifications.forms import preferences_form
from registry.notifications.mail import smtp_configured
from registry.notifications.models import Notification
from registry.pagination import paginate
from registry.permissions import notification_kinds
from registry.worklist import nav_counts

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.route("/notifications")
@login_required
def index():
    """The user's notifications, newest first; ?show=unread keeps only the unread."""
    stmt = operations.my_notifications(current_user)
    only_unread = request.args.get("show") == "unread"
    if only_unread:
        stmt = stmt.where(Notification.read_at.is_(None))
    return render_template(
        "notifications/index.html",
        page=paginate(stmt),
        only_unread=only_unread,
        unread=operations.unread_count(current_user),
        confirm=ConfirmForm(),
    )


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id: int):
    """Mark one of the user's notifications read; then open it when asked to."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    notification = operations.load_mine(current_user, notification_id)
    if notification is None:
        abort(404)
    operations.mark_read(notification)
    db.session.commit()
    if request.form.get("open") and notification.link.startswith("/"):
        return redirect(notification.link)
    return redirect(url_for("notifications.index", show=request.args.get("show")))


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    count = operations.mark_all_read(current_user)
    db.session.commit()
    flash(
        ngettext(
            "Đã đánh dấu %(num)d thông báo là đã đọc.",
            "Đã đánh dấu %(num)d thông báo là đã đọc.",
            count,
        ),
        "success",
    )
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    """The user's e-mail address and how each kind of notification reaches them."""
    form = preferences_form(notification_kinds(current_user))
    if request.method == "GET":
        form.email.data = current_user.email
        chosen = operations.preferences(current_user)
        for kind in form.kinds:
            form[f"kind_{kind}"].data = chosen[kind]
    outcome = run_form(
        form,
        lambda: operations.save_preferences(current_user, form.email.data, form.channels()),
    )
    if outcome.done:
        flash(_("Đã lưu cách nhận thông báo."), "success")
        return redirect(url_for("notifications.preferences"))
    page = render_template(
        "notifications/preferences.html", form=form, smtp_configured=smtp_configured()
    )
    return page, outcome.status


@bp.app_context_processor
def _unread_notifications():
    """The count of the user's unread notifications for the navigation, read only when shown
    (with the navigation's other counts, in their one statement)."""
    if not current_user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: nav_counts(current_user)["unread"]}
