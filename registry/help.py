"""The user guide (hướng dẫn sử dụng): a short guide per role, and the section each page opens."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from registry.auth.models import ROLES
from registry.campaigns.models import CHECKLIST_GROUPS

bp = Blueprint("help", __name__)

# The section of a guide that helps on a page: endpoint -> (role, anchor). A page not listed
# links to the start of the user's own guide.
PAGE_TOPICS = {
    "submissions.index": ("designer", "ho-so"),
    "submissions.new": ("designer", "tao-ho-so"),
    "submissions.edit": ("designer", "tao-ho-so"),
    "submissions.detail": ("designer", "gui-tham-dinh"),
    "submissions.placement_new": ("designer", "vi-tri"),
    "submissions.placement_edit": ("designer", "vi-tri"),
    "reviews.queue": ("reviewer", "hang-cho"),
    "reviews.signoff": ("head", "cho-ky"),
    "reviews.detail": ("reviewer", "tieu-chi"),
    "reviews.compare": ("reviewer", "tieu-chi"),
    "library.index": ("locality", "tai-mau"),
    "library.detail": ("locality", "tai-mau"),
    "displays.index": ("locality", "lap-dat"),
    "displays.detail": ("locality", "lap-dat"),
    "displays.map_page": ("locality", "lap-dat"),
    "displays.dashboard": ("reviewer", "theo-doi"),
    "admin.users": ("admin", "tai-khoan"),
    "admin.user_new": ("admin", "tai-khoan"),
    "admin.user_password": ("admin", "tai-khoan"),
    "admin.audit": ("admin", "nhat-ky"),
    "admin.units": ("admin", "danh-muc"),
    "admin.campaigns": ("admin", "danh-muc"),
    "admin.checklists": ("admin", "danh-muc"),
    "main.home": ("all", "viec-can-lam"),
    "admin.calendar": ("admin", "lich-lam-viec"),
    "main.account": ("all", "tai-khoan-cua-toi"),
    "auth.change_password": ("all", "tai-khoan-cua-toi"),
    "notifications.index": ("all", "thong-bao"),
    "notifications.preferences": ("all", "thong-bao"),
}
GUIDES = {**ROLES, "all": _l("Mọi người dùng")}


def help_url() -> str:
    """The guide's section for the page being shown (the user's own guide otherwise)."""
    role, anchor = PAGE_TOPICS.get(request.endpoint or "", (None, None))
    if role is None:
        role = current_user.role if current_user.is_authenticated else "all"
    return url_for("help.guide", role=role, _anchor=anchor)


@bp.route("/help/")
def index():
    """The list of guides, the user's own first."""
    own = current_user.role if current_user.is_authenticated else None
    return render_template("help/index.html", guides=GUIDES, own=own)


@bp.route("/help/<role>")
def guide(role: str):
    """One role's guide (every guide is readable by anyone: it holds no data)."""
    if role not in GUIDES:
        abort(404)
    return render_template(f"help/{role}.html", role=role, guides=GUIDES, groups=CHECKLIST_GROUPS)
