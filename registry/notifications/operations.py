"""What users do with their notifications: read them, choose how each kind reaches them, and
the daily digest's gathering. Operations flush; the caller commits."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa

from registry.audit import record_event
from registry.auth.models import User
from registry.clock import local_today
from registry.db import utcnow
from registry.extensions import db
from registry.notifications.deadlines import due_work
from registry.notifications.jobs import send_digest
from registry.notifications.models import (
    KINDS,
    DigestRun,
    Notification,
    NotificationPreference,
)
from registry.notifications.notify import channel_for
from registry.tasks import enqueue


def my_notifications(user: User) -> sa.Select:
    """The user's own notifications, newest first (never anyone else's)."""
    return (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
    )


def unread_statement(user: User) -> sa.Select:
    """The count of the user's unread notifications, as a statement (the navigation's counts
    join it to theirs)."""
    return sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )


def unread_count(user: User) -> int:
    return db.session.scalar(unread_statement(user))


def load_mine(user: User, notification_id: int) -> Notification | None:
    """The user's notification of that id; another user's is as good as missing."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        return None
    return notification


def mark_read(notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = utcnow()
    return notification


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user as read; how many were."""
    return db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount


def preferences(user: User) -> dict[str, str]:
    """The channel of each kind for the user (their choice, else the default)."""
    return {kind: channel_for(user, kind) for kind in KINDS}


def save_preferences(user: User, email: str | None, chosen: dict[str, str]) -> dict:
    """Store the user's e-mail address and channels; audit what changed (nothing: no record)."""
    changes: dict[str, list] = {}
    email = (email or "").strip() or None
    if email != user.email:
        changes["email"] = [user.email, email]
        user.email = email
    current = preferences(user)
    for kind, channel in chosen.items():
        if kind not in KINDS or current[kind] == channel:
            continue
        changes[f"notify_{kind}"] = [current[kind], channel]
        row = db.session.get(NotificationPreference, (user.id, kind))
        if row is None:
            db.session.add(NotificationPreference(user_id=user.id, kind=kind, channel=channel))
        else:
            row.channel = channel
    if changes:
        record_event(
            user, "user.notification_preferences", user, unit_id=user.unit_id, changes=changes
        )
    return changes


def queue_digests(today: date | None = None) -> tuple[int, int]:
    """Take every notification waiting for a digest whose user has an e-mail address, mark it
    taken and queue one e-mail per user; (users, notifications). A user who chose the digest for
    any kind also hears, once a day, of their work overdue or due soon (notifications/deadlines.py),
    even on a day without notifications. A second run the same day finds nothing new."""
    today = today or local_today()
    recipient = sa.and_(User.email.is_not(None), User.is_active)
    waiting = db.session.execute(
        sa.select(Notification.id, Notification.user_id)
        .join(User, User.id == Notification.user_id)
        .where(Notification.delivery == "digest", Notification.digest_sent_at.is_(None), recipient)
        .order_by(Notification.id)
    ).all()
    by_user: dict[int, list[int]] = defaultdict(list)
    for notification_id, user_id in waiting:
        by_user[user_id].append(notification_id)
    chose_digest = set(
        db.session.scalars(
            sa.select(NotificationPreference.user_id)
            .join(User, User.id == NotificationPreference.user_id)
            .where(NotificationPreference.channel == "digest", recipient)
        )
    )
    done_today = set(db.session.scalars(sa.select(DigestRun.user_id).where(DigestRun.day == today)))
    now, queued = utcnow(), 0
    for user_id in sorted(set(by_user) | chose_digest):
        ids = by_user.get(user_id, [])
        work = []
        if user_id in chose_digest and user_id not in done_today:
            work = due_work(db.session.get(User, user_id), today)
        if not ids and not work:
            continue
        if ids:
            db.session.execute(
                sa.update(Notification)
                .where(Notification.id.in_(ids))
                .values(digest_sent_at=now, email_status="queued")
                .execution_options(synchronize_session=False)
            )
        if user_id not in done_today:
            db.session.add(DigestRun(user_id=user_id, day=today))
        enqueue(send_digest, user_id, ids, work)
        queued += 1
    return queued, len(waiting)
