"""Sign-in with a throttle on repeated failures, user administration and API tokens."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from registry.audit import record_event
from registry.auth.models import User, new_session_token, password_problem
from registry.auth.sessions import end_other_sessions
from registry.db import utcnow
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput, Throttled
from registry.extensions import db
from registry.permissions import can_review
from registry.ratelimit import count_failed_sign_in, forget_failed_sign_ins, sign_in_blocked_for
from registry.units.models import Unit


class SignInError(Exception):
    """A refused sign-in; the message is safe to show."""


class SignInThrottled(SignInError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def authenticate(username: str, password: str, remote_addr: str = "") -> User:
    """Return the active user with these credentials, or raise SignInError."""
    username = username.strip().lower()
    if wait := sign_in_blocked_for(username):
        minutes = -(-wait // 60)
        raise SignInThrottled(
            ngettext(
                "Tài khoản này đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(num)d phút.",
                "Tài khoản này đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(num)d phút.",
                minutes,
            ),
            retry_after=wait,
        )
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.check_password(password) or not user.is_active:
        count_failed_sign_in(username)
        record_event(user, "auth.sign_in_failed", user, username=username, remote_addr=remote_addr)
        raise SignInError(_("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa."))
    forget_failed_sign_ins(username)
    user.last_login_at = utcnow()
    record_event(user, "auth.signed_in", user)
    return user


def create_user(
    actor: User | None,
    username: str,
    password: str,
    role: str,
    unit: Unit,
    full_name: str = "",
) -> User:
    """Create an account bound to one unit."""
    username = username.strip().lower()
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(
            _("Tên đăng nhập “%(username)s” đã được dùng.", username=username),
            code=ErrorCode.USERNAME_TAKEN,
            field="username",
        )
    user = User(username=username, role=role, unit=unit, full_name=full_name.strip())
    user.set_password(password)
    db.session.add(user)
    record_event(actor, "user.created", user, unit_id=unit.id, username=username, role=role)
    return user


def reset_password(actor: User | None, user: User, password: str | None = None) -> str:
    """Give the user a new password and end their sessions and API tokens.

    Without a password a temporary one is made, which the user must change at their next
    sign-in; it is returned to be shown once. `actor` None is the operator's command line.
    """
    temporary = password is None
    if temporary:
        password = secrets.token_urlsafe(9)
    elif problem := password_problem(password):
        raise InvalidInput(problem, field="password")
    user.set_password(password)
    user.must_change_password = temporary
    record_event(
        actor,
        "user.password_reset",
        user,
        unit_id=user.unit_id,
        temporary=temporary,
        via="web" if actor is not None else "cli",
    )
    return password


def change_own_password(user: User, current: str, new: str) -> None:
    """Change the signed-in user's password: the current one is needed, wrong guesses count
    against the sign-in throttle, and every other session and API token ends."""
    if wait := sign_in_blocked_for(user.username):
        raise Throttled(
            ngettext(
                "Đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau %(num)d phút.",
                "Đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau %(num)d phút.",
                -(-wait // 60),
            ),
            retry_after=wait,
        )
    if not user.check_password(current):
        count_failed_sign_in(user.username)
        record_event(user, "user.password_change_failed", user, unit_id=user.unit_id)
        raise InvalidInput(_("Mật khẩu hiện tại không đúng."), field="current_password")
    if problem := password_problem(new):
        raise InvalidInput(problem, field="password")
    if new == current:
        raise InvalidInput(_("Mật khẩu mới phải khác mật khẩu hiện tại."), field="password")
    forget_failed_sign_ins(user.username)
    was_temporary = user.must_change_password
    user.set_password(new)
    end_other_sessions(user)  # this browser stays signed in under the new generation
    user.must_change_password = False
    record_event(
        user, "user.password_changed", user, unit_id=user.unit_id, was_temporary=was_temporary
    )


def sign_out_everywhere(user: User) -> int:
    """End every other session and API token of the user; return how many sessions ended."""
    ended = end_other_sessions(user)
    record_event(user, "auth.signed_out_everywhere", user, unit_id=user.unit_id, ended=ended)
    return ended


def set_user_active(actor: User, user: User, active: bool) -> None:
    """Deactivate or reactivate an account."""
    if user.id == actor.id and not active:
        raise Conflict(_("Không thể tự khóa tài khoản của chính mình."), code=ErrorCode.SELF_LOCK)
    user.is_active = active
    if not active:
        user.session_token = new_session_token()
    record_event(
        actor, "user.activated" if active else "user.deactivated", user, unit_id=user.unit_id
    )


def set_reads_minority_scripts(actor: User, user: User, reads: bool) -> None:
    """Record that a reviewer reads Khmer or Cham script (or no longer does)."""
    if not can_review(user):
        raise Conflict(
            _("Chỉ ghi nhận khả năng đọc chữ Khmer/Chăm cho chuyên viên thẩm định."),
            code=ErrorCode.NOT_REVIEWER,
        )
    user.reads_minority_scripts = reads
    record_event(actor, "user.reads_minority_scripts", user, unit_id=user.unit_id, reads=reads)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="registry-api-token")


def issue_api_token(user: User) -> str:
    """Return a signed bearer token for the API, bound to the user's current session token."""
    return _serializer().dumps({"s": user.session_token})


def user_from_api_token(token: str) -> User | None:
    """Return the active user a bearer token belongs to, or None."""
    max_age = current_app.config["REGISTRY_API_TOKEN_HOURS"] * 3600
    try:
        payload = _serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.scalar(sa.select(User).where(User.session_token == payload.get("s")))
    return user if user is not None and user.is_active else None
