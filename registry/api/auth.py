"""Bearer-token authentication of the API: who is calling (below the blueprints that use it)."""

from __future__ import annotations

from flask import g, request
from flask_smorest import abort

from registry.auth.operations import user_from_api_token


def current_api_user():
    """Return the user of the bearer token of this request (set by require_token)."""
    return g.api_user


def require_token() -> None:
    """Authenticate the request by its bearer token; cookies are never accepted by the API."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_from_api_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        abort(
            401,
            message="Cần mã truy cập hợp lệ: gửi tiêu đề “Authorization: Bearer <token>” "
            "lấy từ POST /api/v1/auth/token.",
        )
    g.api_user = user
