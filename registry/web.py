"""Blueprint registration and the home page."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, url_for
from flask_login import current_user, login_required

from registry.admin import bp as admin_bp
from registry.api import register_api
from registry.auth.sessions import active_sessions
from registry.auth.views import bp as auth_bp
from registry.displays import overview  # noqa: F401  (its routes join the displays blueprint)
from registry.displays.views import bp as displays_bp
from registry.forms import ConfirmForm
from registry.help import bp as help_bp
from registry.library.public import bp as verify_bp
from registry.library.views import bp as library_bp
from registry.notifications.views import bp as notifications_bp
from registry.reviews.views import bp as reviews_bp
from registry.storage.serving import bp as files_bp
from registry.submissions.views import bp as submissions_bp
from registry.textcheck.views import bp as textcheck_bp
from registry.uploads.views import bp as uploads_bp
from registry.worklist import nav_counts, worklist_for

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """Việc cần làm: what waits for the user, each item a link to where it is done."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in"))
    return render_template("home.html", work=worklist_for(current_user))


@bp.route("/healthz")
def healthz():
    """Liveness for load balancers (and the benchmarks' no-work reference): no database."""
    return {"status": "ok"}


@bp.route("/account")
@login_required
def account():
    """The user's own account: facts, password, signed-in browsers."""
    current = current_user.browser_session
    return render_template(
        "account.html",
        sessions=active_sessions(current_user),
        current_session_id=current.id if current is not None else None,
        confirm=ConfirmForm(),
    )


@bp.app_context_processor
def _navigation_counts():
    """nav_count(name): a count for the navigation ("Hàng chờ thẩm định (3)"), or None."""

    def nav_count(name: str) -> int | None:
        if not current_user.is_authenticated:
            return None
        return nav_counts(current_user).get(name)

    return {"nav_count": nav_count}


def register_blueprints(app: Flask) -> None:
    """Register every feature's blueprint."""
    app.register_blueprint(bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(submissions_bp, url_prefix="/submissions")
    app.register_blueprint(reviews_bp, url_prefix="/reviews")
    app.register_blueprint(files_bp)
    app.register_blueprint(textcheck_bp)
    app.register_blueprint(uploads_bp)  # resumable uploads of the submission page
    app.register_blueprint(library_bp, url_prefix="/library")
    app.register_blueprint(verify_bp, url_prefix="/verify")  # public: no sign-in
    app.register_blueprint(displays_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(help_bp)  # public: the guides hold no data
    register_api(app)
