"""Database errors a request meets: 503 with Retry-After and a message in the reader's language
(a page, or the API's JSON error) while the database is away, the pool's pre-ping reconnecting by
itself once it is back; 409 when two requests raced for the same unique row; 500 for anything
else."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from registry.errors import error_response
from registry.exceptions import STALE_MESSAGE
from registry.extensions import db

RETRY_AFTER_SECONDS = 30
DATABASE_DOWN = _l(
    "Cơ sở dữ liệu tạm thời không phản hồi nên chưa thực hiện được yêu cầu; không có gì được "
    "lưu dở dang. Vui lòng thử lại sau ít phút."
)


def is_outage(error: sa.exc.DBAPIError) -> bool:
    """Whether a database error means the server is unreachable, not that the query is wrong."""
    return error.connection_invalidated or isinstance(
        error, sa.exc.OperationalError | sa.exc.InterfaceError
    )


def is_unique_race(error: sa.exc.DBAPIError) -> bool:
    """Whether a unique constraint refused a row another request has just written."""
    if not isinstance(error, sa.exc.IntegrityError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)  # psycopg
    return sqlstate == "23505" or "UNIQUE constraint failed" in str(error.orig)  # SQLite


def _rollback() -> None:
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session.invalidate()


def init_app(app: Flask) -> None:
    """Answer database outages with 503, and tell clients of every 503 when to retry."""

    @app.errorhandler(sa.exc.DBAPIError)
    def _database_error(error: sa.exc.DBAPIError):
        _rollback()
        if is_unique_race(error):
            # Two requests wrote the same unique value at once (e.g. version numbers of one
            # submission): the later one is told to reload, as with optimistic locking.
            current_app.logger.warning("unique race on %s: %s", request.path, error.orig)
            return error_response(409, STALE_MESSAGE, code="conflict")
        if not is_outage(error):
            current_app.logger.exception("database error on %s %s", request.method, request.path)
            return error_response(500)
        current_app.logger.warning("database unavailable on %s: %s", request.path, error.orig)
        # The page's navigation asks who is signed in; that would ask the database again.
        g._login_user = AnonymousUserMixin()
        return error_response(503, DATABASE_DOWN, code="database_unavailable")

    # Runs before Flask-SQLAlchemy's own teardown (teardowns run in reverse order): a database
    # that went away after the response was made must not turn that response into a 500 when
    # the session is closed (its rollback then meets a dead connection).
    @app.teardown_appcontext
    def _close_session(error: BaseException | None) -> None:
        try:
            db.session.remove()
        except sa.exc.DBAPIError as closing:
            app.logger.warning("database gone while closing the session: %s", closing.orig)
            db.session.registry.clear()  # drop the session; its connection is invalidated

    @app.after_request
    def _retry_after(response):
        if response.status_code == 503:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER_SECONDS))
        return response
