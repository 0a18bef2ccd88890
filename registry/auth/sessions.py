"""Browser sessions: one row per signed-in browser, so a user can see and end them."""

from __future__ import annotations

import functools
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from sqlalchemy import orm as so

from registry.auth.models import User, UserSession, new_session_token
from registry.db import utcnow
from registry.extensions import db


def session_lifetime() -> timedelta:
    """How long a sign-in lasts at most (Flask's PERMANENT_SESSION_LIFETIME)."""
    return current_app.permanent_session_lifetime


def start_session(user: User) -> UserSession:
    """Record a new signed-in browser for the user (and forget their expired ones)."""
    cutoff = utcnow() - session_lifetime()
    db.session.execute(
        sa.delete(UserSession).where(
            UserSession.user_id == user.id,
            sa.or_(UserSession.created_at <= cutoff, UserSession.generation != user.session_token),
        )
    )
    row = UserSession(
        user=user,
        generation=user.session_token,
        remote_addr=(request.remote_addr or "")[:64],
        user_agent=request.headers.get("User-Agent", "")[:255],
    )
    db.session.add(row)
    db.session.flush()
    user.browser_session = row
    return row


# The row with its user and their unit (joined), in one statement; built once, run per request.
_SESSION_BY_TOKEN = sa.select(UserSession).where(UserSession.token == sa.bindparam("token"))

# Whose navigation each browser session showed last (registry.worklist.Viewer: id, role, unit):
# its next page reads the navigation's counts in the statement that reads the session. Only a
# guess of which counts to read along: they are used when the user just read is that viewer
# still, and the user is read, and checked, on every request all the same.
_NAVIGATION_SHOWN: dict[str, object] = {}
_NAVIGATION_SHOWN_MAX = 10_000


def remember_navigation(user: User, viewer) -> None:
    """Note that this request showed the navigation to `viewer` (see user_of_session)."""
    current = user.browser_session
    if current is None:
        return
    if len(_NAVIGATION_SHOWN) >= _NAVIGATION_SHOWN_MAX:
        _NAVIGATION_SHOWN.clear()
    _NAVIGATION_SHOWN[current.token] = viewer


@functools.lru_cache(maxsize=1024)
def _session_with_navigation(viewer) -> sa.Select:
    from registry.worklist import nav_columns

    return _SESSION_BY_TOKEN.add_columns(*nav_columns(viewer))


def user_of_session(token: str) -> User | None:
    """The user a browser session signs in, if it is still valid (read on every request).

    A page (GET) of a browser whose last page showed the navigation reads its counts in the
    same statement, and keeps them for the page when the user is still who they were for.
    """
    guess = _NAVIGATION_SHOWN.pop(token, None) if request.method == "GET" else None
    if guess is None:
        row, counts = db.session.scalar(_SESSION_BY_TOKEN, {"token": token}), None
    else:
        result = db.session.execute(_session_with_navigation(guess), {"token": token}).first()
        row, counts = (result[0], result._mapping) if result is not None else (None, None)
    if row is None or not row.is_valid(session_lifetime()):
        return None
    row.user.browser_session = row
    if counts is not None:
        from registry.worklist import Viewer, nav_columns

        if Viewer.of(row.user) == guess:
            g.nav_counts = {column.name: counts[column.name] for column in nav_columns(guess)}
    return row.user


# Each row's user is the one already loaded: taken from the session's identity map, not joined.
_SESSIONS_OF_USER = (
    sa.select(UserSession)
    .where(
        UserSession.user_id == sa.bindparam("user_id"),
        UserSession.generation == sa.bindparam("generation"),
    )
    .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    .options(so.lazyload(UserSession.user))
)


def active_sessions(user: User) -> list[UserSession]:
    """The user's sessions that still sign them in, newest first."""
    rows = db.session.scalars(
        _SESSIONS_OF_USER, {"user_id": user.id, "generation": user.session_token}
    )
    return [row for row in rows if row.is_valid(session_lifetime())]


def end_session(user: User, row: UserSession | None) -> None:
    """Forget one browser session of the user (signing out)."""
    if row is not None and row.user_id == user.id:
        db.session.delete(row)


def end_other_sessions(user: User) -> int:
    """Sign the user out of every other browser and void their API tokens; keep this one."""
    current = user.browser_session
    others = [row for row in active_sessions(user) if current is None or row.id != current.id]
    user.session_token = new_session_token()
    ended = sa.delete(UserSession).where(UserSession.user_id == user.id)
    if current is not None:
        current.generation = user.session_token
        ended = ended.where(UserSession.id != current.id)
    db.session.execute(ended)
    return len(others)
