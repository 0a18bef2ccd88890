"""Browser sessions: one row per signed-in browser, so a user can see and end them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
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


def user_of_session(token: str) -> User | None:
    """The user a browser session signs in, if it is still valid (read on every request)."""
    row = db.session.scalar(_SESSION_BY_TOKEN, {"token": token})
    if row is None or not row.is_valid(session_lifetime()):
        return None
    row.user.browser_session = row
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
