"""The jobs that send notification e-mail: one notification now, or a user's daily digest."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from registry.auth.models import User
from registry.db import utcnow
from registry.extensions import db
from registry.i18n import language_of
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
    with language_of(user):  # the words around the stored title and body, in their language
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


def _digest_parts(items: list, work) -> str:
    """What a digest holds, for its subject: "2 thông báo mới, 1 việc quá hạn"."""
    parts = []
    if items:
        parts.append(ngettext("%(num)d thông báo mới", "%(num)d thông báo mới", len(items)))
    overdue = sum(1 for w in work if w["overdue"])
    if overdue:
        parts.append(ngettext("%(num)d việc quá hạn", "%(num)d việc quá hạn", overdue))
    if len(work) > overdue:
        soon = len(work) - overdue
        parts.append(ngettext("%(num)d việc sắp đến hạn", "%(num)d việc sắp đến hạn", soon))
    return ", ".join(parts)


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
    with language_of(user):
        message = mail.build_message(
            user.email,
            _("Tổng hợp thông báo: %(parts)s", parts=_digest_parts(items, work)),
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
