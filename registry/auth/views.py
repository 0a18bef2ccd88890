"""Sign-in and sign-out pages."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from registry.audit import record_event
from registry.auth.forms import SignInForm
from registry.auth.operations import SignInError, SignInThrottled, authenticate
from registry.extensions import db

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except SignInThrottled as error:
            flash(str(error), "error")
            page = render_template("auth/sign_in.html", form=form)
            return page, 429, {"Retry-After": str(error.retry_after)}
        except SignInError as error:
            db.session.commit()  # the audit record of the failed attempt
            flash(str(error), "error")
            status = 401
        else:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def sign_out():
    record_event(current_user, "auth.signed_out", current_user)
    db.session.commit()
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.sign_in"))


def _safe_next(target: str | None) -> str | None:
    """Only follow a redirect target on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
