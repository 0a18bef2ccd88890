"""Users and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from registry.db import Base, enum_check, utcnow
from registry.i18n import LANGUAGES
from registry.units.models import Unit

ROLES = {
    "designer": "Cán bộ thiết kế",
    "reviewer": "Chuyên viên thẩm định",
    "head": "Lãnh đạo phòng",
    "locality": "Cán bộ địa phương",
    "admin": "Quản trị",
}

# The one strength rule for every password: the admin's form, the user's own and the CLI.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256

# scrypt with Werkzeug's current cost parameters: a memory-hard KDF.
PASSWORD_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


def password_problem(password: str) -> str | None:
    """What is wrong with a new password under the strength rule, or None."""
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        return f"Mật khẩu cần từ {MIN_PASSWORD_LENGTH} đến {MAX_PASSWORD_LENGTH} ký tự."
    return None


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", ROLES), enum_check("language", LANGUAGES))

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    # Where notification e-mail goes (the user sets it on their notifications page).
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254))
    # Reads Khmer or Cham script: artwork carrying it is routed to them (TP-05).
    reads_minority_scripts: so.Mapped[bool] = so.mapped_column(
        default=False, server_default=sa.false()
    )
    # The interface's language ("vi" or "en", registry.i18n.LANGUAGES); e-mails follow it too.
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="vi", server_default="vi")
    # Set by an admin's reset (a temporary password): every page asks for a new one first.
    must_change_password: so.Mapped[bool] = so.mapped_column(
        default=False, server_default=sa.false()
    )
    # Rotated on password change or deactivation: old sessions and API tokens stop working.
    session_token: so.Mapped[str] = so.mapped_column(
        sa.String(64), unique=True, default=new_session_token
    )
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    last_login_at: so.Mapped[datetime | None]

    unit: so.Mapped[Unit] = so.relationship(lazy="joined")

    def set_password(self, password: str) -> None:
        """Hash and store a new password, signing out every existing session."""
        method = current_app.config["REGISTRY_PASSWORD_HASH"] if has_app_context() else None
        self.password_hash = generate_password_hash(password, method=method or PASSWORD_METHOD)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The browser session this request came with (set at sign-in and by the user loader).
    browser_session = None  # a UserSession, not a column

    def get_id(self) -> str | None:
        return self.browser_session.token if self.browser_session is not None else None

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class UserSession(Base):
    """One signed-in browser: listed on the account page, ended alone or with all the others.

    A session belongs to one generation of the user's session token: rotating that token (a new
    password, a lock, "sign out everywhere") ends every session of the older generation.
    """

    __tablename__ = "user_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    token: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True, default=new_session_token)
    generation: so.Mapped[str] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    remote_addr: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    user_agent: so.Mapped[str] = so.mapped_column(sa.String(255), default="")

    user: so.Mapped[User] = so.relationship(lazy="joined")

    def is_valid(self, lifetime: timedelta) -> bool:
        """Whether the session still signs its user in: same generation, not too old."""
        return (
            self.user.is_active
            and self.generation == self.user.session_token
            and self.created_at > utcnow() - lifetime
        )

    def __repr__(self) -> str:
        return f"<UserSession {self.user_id} {self.created_at:%Y-%m-%d %H:%M}>"
