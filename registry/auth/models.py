"""Users and their roles."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy import orm as so
from werkzeug.security import check_password_hash, generate_password_hash

from registry.db import Base, enum_check, utcnow
from registry.units.models import Unit

ROLES = {
    "designer": "Cán bộ thiết kế",
    "reviewer": "Chuyên viên thẩm định",
    "head": "Lãnh đạo phòng",
    "locality": "Cán bộ địa phương",
    "admin": "Quản trị",
}

# scrypt with Werkzeug's current cost parameters: a memory-hard KDF.
PASSWORD_METHOD = "scrypt"  # noqa: S105 (a method name, not a password)


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (enum_check("role", ROLES),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    full_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(256))
    role: so.Mapped[str] = so.mapped_column(sa.String(16))
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)
    # Reads Khmer or Cham script: artwork carrying it is routed to them (TP-05).
    reads_minority_scripts: so.Mapped[bool] = so.mapped_column(
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

    def get_id(self) -> str:
        return self.session_token

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
