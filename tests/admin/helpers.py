"""Plain helpers of the admin tests."""

from __future__ import annotations

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from tests.conftest import csrf_token
from tests.factories import PASSWORD


def signed_in_client(app, user):
    """Another browser, signed in as `user`."""
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_token(other)},
    )
    assert response.status_code == 302
    return other


def events(action: str) -> list[AuditEvent]:
    """The audit events of one action, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        )
    )


def text(response) -> str:
    return response.get_data(as_text=True)
