"""The jobs that send notification e-mail: one notification now, or a user's daily digest."""

from __future__ import annotations

import sqlalchemy as sa

from registry.db import utcnow
from registry.extensions import db
from registry.notifications import mail
from registry.notifications.models import Notification
from registry.tasks import job


def _fail_email(notification_id: int, *, error: str) -> None:
    """Every attempt failed: the notification stays in the app and says the e-mail did not go."""
    notification = db.session.get(Notification, notification_id)
    if notification is not None:
        notification.email_status = "failed"
        notification.email_error = error[:2000]


@job("notifications.send_email", on_failure=_fail_email)
def send_email(notification_id: int) -> None:
    """Send one notification to its user by e-mail."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.email_status == "sent":
        return
    user = notification.user
    if not user.email or not mail.smtp_configured():
        notification.email_status = None
        return
    message = mail.build_message(
        user.email,
        notification.title,
        "email",
        user=user,
        notification=notification,
        link=mail.absolute(notification.link),
        preferences=mail.absolute("/account/notifications"),
    )
    mail.send(message)
    notification.email_status = "sent"
    notification.emailed_at = utcnow()
    notification.email_error = None


def _digest_items(notification_ids: list[int]) -> list[Notification]:
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.id.in_(notification_ids))
            .order_by(Notification.id)
        )
    )


def _fail_digest(user_id: int, notification_ids: list[int], *, error: str) -> None:
    for notification in _digest_items(notification_ids):
        notification.email_status = "failed"
        notification.email_error = error[:2000]


@job("notifications.send_digest", on_failure=_fail_digest)
def send_digest(user_id: int, notification_ids: list[int]) -> None:
    """Send one user the day's notifications in one e-mail."""
    items = _digest_items(notification_ids)
    if not items:
        return
    user = items[0].user
    if not user.email or not mail.smtp_configured():
        return
    count = len(items)
    message = mail.build_message(
        user.email,
        f"Tổng hợp thông báo: {count} thông báo mới",
        "digest",
        user=user,
        items=[(n, mail.absolute(n.link)) for n in items],
        link=mail.absolute("/notifications"),
        preferences=mail.absolute("/account/notifications"),
    )
    mail.send(message)
    now = utcnow()
    for notification in items:
        notification.email_status = "sent"
        notification.emailed_at = now
        notification.email_error = None
