"""Lists of accounts for the admin pages."""

from __future__ import annotations

import sqlalchemy as sa

from registry.auth.models import ROLES, User


def user_list(*, q: str | None = None, role: str | None = None) -> sa.Select:
    """Accounts by user name, filtered by a piece of their name and by role."""
    stmt = sa.select(User).join(User.unit).order_by(User.username)
    if q:
        stmt = stmt.where(sa.or_(User.username.contains(q.lower()), User.full_name.contains(q)))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    return stmt
