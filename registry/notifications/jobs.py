"""The jobs that send notification e-mail: one notification now, or a user's daily digest."""

from __future__ import annotations

import sqlalchemy as sa

from registry.auth.models import User
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


def _fail_digest(user_id: int, notification_ids: list[int], work=(), *, error: str) -> None:
    for notification in _digest_items(notification_ids):
        notification.email_status = "failed"
        notification.email_error = error[:2000]


@job("notifications.send_digest", on_failure=_fail_digest)
def send_digest(user_id: int, notification_ids: list[int], work: list[dict] = ()) -> None:
    """Send one user the day's notifications and their work overdue or due soon in one e-mail
    (`work`: the plain values registry.notifications.deadlines.due_work gathered)."""
    items = _digest_items(notification_ids)
    user = db.session.get(User, user_id)
    if (not items and not work) or user is None:
        return
    if not user.email or not mail.smtp_configured():
        return
    parts = []
    if items:
        parts.append(f"{len(items)} thông báo mới")
    overdue = sum(1 for w in work if w["overdue"])
    if overdue:
        parts.append(f"{overdue} việc quá hạn")
    if len(work) > overdue:
        parts.append(f"{len(work) - overdue} việc sắp đến hạn")
    message = mail.build_message(
        user.email,
        "Tổng hợp thông báo: " + ", ".join(parts),
        "digest",
        user=user,
        items=[(n, mail.absolute(n.link)) for n in items],
        work=[{**w, "url": mail.absolute(w["link"])} for w in work],
        link=mail.absolute("/notifications"),
        preferences=mail.absolute("/account/notifications"),
    )
    mail.send(message)
    now = utcnow()
    for notification in items:
        notification.email_status = "sent"
        notification.emailed_at = now
        notification.email_error = None
