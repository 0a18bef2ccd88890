"""Database errors a request meets: 503 with Retry-After and a message in the reader's language
(a page, or the API's JSON error) while the database is away, the pool reconnecting by itself once
it is back (a connection idle for a while is pinged before use, see `ping_when_idle`); 409 when
two requests raced for the same unique row; 500 for anything else."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, current_app, g, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin

from registry.errors import error_response
from registry.exceptions import STALE_MESSAGE
from registry.extensions import db

RETRY_AFTER_SECONDS = 30
# A pooled connection back from a request less than this long ago is used without a ping.
PING_AFTER_IDLE_SECONDS = 1.0
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


def ping_when_idle(engine: sa.Engine, idle_seconds: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Ask the server whether a pooled connection still works before reusing it, when it has
    been idle for `idle_seconds` or more; one a request gave back just now is used as it is.

    SQLAlchemy's pool_pre_ping pings on every checkout: a round trip of every request, a tenth
    of a signed-in page's time under load (bench/lists.py). A server restarted or a connection
    dropped while idle is still caught here, and the pool reconnects before the request sees
    it. A server that went away within the last second meets the request's first statement
    instead: that request gets the 503 page (the error invalidates the pool's connections, so
    the next request reconnects), never a 500.
    """

    @sa.event.listens_for(engine, "checkin")
    def _given_back(dbapi_connection, record) -> None:
        record.info["registry_idle_since"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, proxy) -> None:
        idle_since = record.info.pop("registry_idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # a new connection, or one in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # noqa: BLE001  (whatever the driver raises for a dead link)
            # The pool drops this connection and the others as old (the server is likely to
            # have restarted), and checks out a new one.
            raise sa.exc.InvalidatePoolError(str(error)) from error


def init_app(app: Flask) -> None:
    """Answer database outages with 503, and tell clients of every 503 when to retry."""
    with app.app_context():
        for engine in db.engines.values():
            ping_when_idle(engine)

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
