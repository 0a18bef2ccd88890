"""The caller's own notifications: list them, mark one read."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from werkzeug.exceptions import NotFound

from registry.api.auth import current_api_user
from registry.api.blueprint import ApiBlueprint, PageQuery, page_of
from registry.error_codes import ErrorCode
from registry.extensions import db
from registry.notifications import operations
from registry.notifications.mail import absolute
from registry.notifications.models import CHANNELS, EMAIL_STATUSES, KINDS, Notification

blp = ApiBlueprint(
    "api_notifications",
    __name__,
    url_prefix="/api/v1",
    description=_l("Thông báo của người gọi: danh sách và đánh dấu đã đọc"),
)


class NotificationQuery(PageQuery):
    unread = fields.Boolean(
        load_default=False, metadata={"description": "true: only the unread notifications"}
    )


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": " | ".join(KINDS)})
    kind_label = fields.String(metadata={"description": "the kind, in Vietnamese"})
    title = fields.String()
    body = fields.String()
    submission_id = fields.Integer(allow_none=True)
    url = fields.Function(
        lambda n: absolute(n.link) if n.link else None,
        allow_none=True,
        metadata={"description": "where the notification leads, in the web app"},
    )
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    delivery = fields.String(metadata={"description": " | ".join(CHANNELS)})
    email_status = fields.String(
        allow_none=True, metadata={"description": " | ".join(EMAIL_STATUSES)}
    )


@blp.route("/notifications")
@blp.arguments(NotificationQuery, location="query")
@blp.response(200, NotificationOut(many=True))
def list_notifications(query):
    """The caller's notifications, newest first (never anyone else's)."""
    stmt = operations.my_notifications(current_api_user())
    if query["unread"]:
        stmt = stmt.where(Notification.read_at.is_(None))
    return page_of(stmt, query)


@blp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@blp.errors(ErrorCode.NOT_FOUND)
@blp.response(200, NotificationOut)
def mark_read(notification_id):
    """Mark one of the caller's notifications read (another user's answers 404)."""
    notification = operations.load_mine(current_api_user(), notification_id)
    if notification is None:
        raise NotFound(description=_("Không có thông báo này."))
    operations.mark_read(notification)
    db.session.commit()
    return notification
