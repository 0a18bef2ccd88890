"""Bearer-token authentication of the API: who is calling (below the blueprints that use it)."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _
from flask_smorest import abort

from registry.auth.operations import user_from_api_token


def current_api_user():
    """Return the user of the bearer token of this request (set by require_token)."""
    return g.api_user


def require_token() -> None:
    """Authenticate the request by its bearer token; cookies are never accepted by the API."""
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    user = user_from_api_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        abort(
            401,
            message=_(
                "Cần mã truy cập hợp lệ: gửi tiêu đề “Authorization: Bearer <token>” "
                "lấy từ POST /api/v1/auth/token."
            ),
        )
    g.api_user = user
    # The token's user is this request's user for Flask-Login too (without a session or a
    # cookie), so that what reads current_user, like the language of the answer's messages
    # (registry.i18n.select_language), sees the caller. Flask-Login keeps the request's user
    # in g._login_user; the locale is chosen at the first translated string, after this.
    g._login_user = user
