"""Sign-in: Flask-Login wiring, one row per signed-in browser."""

from flask import Flask, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.auth.sessions import user_of_session
from registry.extensions import login_manager

# What a user with a temporary password may still reach before choosing a new one.
# The operator's probes (liveness, readiness, metrics) never ask who is signed in: they must
# answer for themselves while the database is away.
_OPEN_WITH_TEMPORARY_PASSWORD = {
    "auth.change_password",
    "auth.sign_out",
    "static",
    "main.healthz",
    "ops.readyz",
    "ops.metrics",
}


def init_app(app: Flask) -> None:
    """Configure Flask-Login: sessions are keyed by the browser session's own token."""
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Vui lòng đăng nhập để tiếp tục.")
    login_manager.localize_callback = str  # the message in the reader's language
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load_user(token: str):
        return user_of_session(token)

    @app.before_request
    def _require_new_password():
        endpoint = request.endpoint or ""
        if endpoint in _OPEN_WITH_TEMPORARY_PASSWORD or request.path.startswith("/api/"):
            return None
        if current_user.is_authenticated and current_user.must_change_password:
            flash(_("Bạn đang dùng mật khẩu tạm. Vui lòng đặt mật khẩu mới để tiếp tục."), "info")
            return redirect(url_for("auth.change_password"), 303)
        return None
