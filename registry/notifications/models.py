"""Notifications: one message to one user about something that happened, and how each user
wants each kind delivered."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.db import Base, enum_check, utcnow

# What a notification is about; each user chooses a channel per kind.
KINDS = {
    "submitted": _l("Hồ sơ mới gửi thẩm định"),
    "signoff": _l("Ký duyệt hai bước: đề xuất chờ ký, hồ sơ bị trả lại"),
    "decision": _l("Kết quả thẩm định hồ sơ của tôi"),
    "approved": _l("Mẫu mới được duyệt cho đơn vị"),
    "revoked": _l("Mẫu tôi đã tải bị thu hồi"),
    "pin_reply": _l("Trả lời ghi chú trên mẫu"),
    "reminder": _l("Nhắc việc treo/dựng, tháo dỡ"),
}
CHANNELS = {
    "app": _l("Chỉ trong ứng dụng"),
    "email": _l("Trong ứng dụng và gửi e-mail ngay"),
    "digest": _l("Trong ứng dụng và một e-mail tổng hợp mỗi ngày"),
}
DEFAULT_CHANNEL = "email"
EMAIL_STATUSES = {"queued": _l("Đang gửi"), "sent": _l("Đã gửi"), "failed": _l("Gửi không được")}


class Notification(Base):
    """One message in one user's list; `delivery` is the channel the user had chosen then."""

    __tablename__ = "notifications"
    __table_args__ = (
        enum_check("kind", KINDS),
        enum_check("delivery", CHANNELS),
        enum_check("email_status", EMAIL_STATUSES),
        # A user's list, newest first, and their unread count.
        sa.Index("ix_notifications_user_id_id", "user_id", "id"),
        sa.Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        # The digest's look-up of what has not gone out yet.
        sa.Index("ix_notifications_delivery_digest_sent_at", "delivery", "digest_sent_at"),
        # A keyed notification (a daily reminder) exists at most once per user.
        sa.UniqueConstraint("user_id", "key"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    submission_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("submissions.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(400))
    body: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # A path inside the registry (the e-mail prefixes REGISTRY_PUBLIC_URL).
    link: so.Mapped[str] = so.mapped_column(sa.String(400), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    read_at: so.Mapped[datetime | None]
    delivery: so.Mapped[str] = so.mapped_column(sa.String(16), default="app")
    email_status: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    email_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    emailed_at: so.Mapped[datetime | None]
    # Set when a digest took the notification (delivery "digest"): a second run skips it.
    digest_sent_at: so.Mapped[datetime | None]
    # Makes a notification idempotent, e.g. "remind:2026-12-01": one per user and key.
    key: so.Mapped[str | None] = so.mapped_column(sa.String(100))

    user: so.Mapped[User] = so.relationship()

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} for {self.user_id}>"


class NotificationPreference(Base):
    """How one user wants one kind of notification; no row means DEFAULT_CHANNEL."""

    __tablename__ = "notification_preferences"
    __table_args__ = (enum_check("kind", KINDS), enum_check("channel", CHANNELS))

    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16), primary_key=True)
    channel: so.Mapped[str] = so.mapped_column(sa.String(16))


class DigestRun(Base):
    """A day's digest e-mail queued for one user: the overdue work it names goes out once a day
    however often the digest command runs."""

    __tablename__ = "notification_digests"

    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    day: so.Mapped[date] = so.mapped_column(primary_key=True)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
