"""Sign-in and sign-out pages, and the user's own password and sessions."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from registry.audit import record_event
from registry.auth.forms import LanguageForm, PasswordChangeForm, SignInForm
from registry.auth.operations import (
    SignInError,
    SignInThrottled,
    authenticate,
    change_own_password,
    sign_out_everywhere,
)
from registry.auth.sessions import end_session, start_session
from registry.exceptions import InvalidInput, Throttled, UserFacingError
from registry.extensions import db
from registry.forms import ConfirmForm, first_error
from registry.i18n import SESSION_KEY

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
            start_session(user)
            db.session.commit()
            login_user(user)
            session[SESSION_KEY] = user.language  # words said before the user is loaded
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def sign_out():
    record_event(current_user, "auth.signed_out", current_user)
    end_session(current_user, current_user.browser_session)
    db.session.commit()
    # The sign-in page that follows keeps the language the user reads.
    session[SESSION_KEY] = current_user.language
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """The user chooses a new password (required after an admin's reset)."""
    form = PasswordChangeForm()
    status, headers = (400 if form.is_submitted() else 200), {}
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.password.data)
        except UserFacingError as error:
            # Refused before any change; what is kept is the audit record of a wrong guess.
            db.session.commit()
            form[error.field or "current_password"].errors = [error.message]
            status = error.status
            if isinstance(error, Throttled):
                headers["Retry-After"] = str(error.retry_after)
        else:
            db.session.commit()
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác và mã API cũ đã bị hủy."), "success")
            return redirect(url_for("main.account"))
    return render_template("auth/password.html", form=form), status, headers


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_elsewhere():
    """End every other session of the user and their API tokens; this browser stays in."""
    if not ConfirmForm().validate_on_submit():
        flash(_("Biểu mẫu đã hết hạn. Vui lòng thử lại."), "error")
        return redirect(url_for("main.account"), 303)
    ended = sign_out_everywhere(current_user)
    db.session.commit()
    message = ngettext(
        "Đã đăng xuất %(num)d phiên khác; mã API cũ không còn dùng được.",
        "Đã đăng xuất %(num)d phiên khác; mã API cũ không còn dùng được.",
        ended,
    )
    flash(message, "success")
    return redirect(url_for("main.account"), 303)


@bp.route("/language", methods=["POST"])
def choose_language():
    """Switch the interface language: the user's setting, or the session's before signing in."""
    form = LanguageForm()
    if not form.validate_on_submit():
        raise InvalidInput(first_error(form))
    chosen = form.language.data
    session[SESSION_KEY] = chosen
    if current_user.is_authenticated and current_user.language != chosen:
        record_event(
            current_user,
            "user.language_changed",
            current_user,
            before=current_user.language,
            after=chosen,
        )
        current_user.language = chosen
        db.session.commit()
    return redirect(_safe_next(form.next.data) or url_for("main.home"), 303)


def _safe_next(target: str | None) -> str | None:
    """Only follow a redirect target on this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
