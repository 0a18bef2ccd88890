"""When the database is away: 503 with Retry-After and a Vietnamese message (a page, or the
API's JSON error), never a 500; the pool's pre-ping reconnects by itself once it is back."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_login import AnonymousUserMixin

from registry.errors import error_response
from registry.extensions import db

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = (
    "Cơ sở dữ liệu tạm thời không phản hồi nên chưa thực hiện được yêu cầu; không có gì được "
    "lưu dở dang. Vui lòng thử lại sau ít phút."
)


def is_outage(error: sa.exc.DBAPIError) -> bool:
    """Whether a database error means the server is unreachable, not that the query is wrong."""
    return error.connection_invalidated or isinstance(
        error, sa.exc.OperationalError | sa.exc.InterfaceError
    )


def init_app(app: Flask) -> None:
    """Answer database outages with 503, and tell clients of every 503 when to retry."""

    @app.errorhandler(sa.exc.DBAPIError)
    def _database_error(error: sa.exc.DBAPIError):
        if not is_outage(error):
            raise error  # a real bug: the generic handler logs it and answers 500
        current_app.logger.warning("database unavailable on %s: %s", request.path, error.orig)
        try:
            db.session.rollback()
        except sa.exc.SQLAlchemyError:
            db.session.invalidate()
        # The page's navigation asks who is signed in; that would ask the database again.
        g._login_user = AnonymousUserMixin()
        return error_response(503, DATABASE_DOWN, code="database_unavailable")

    @app.after_request
    def _retry_after(response):
        if response.status_code == 503:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
        return response
