"""Helpers that templates call: event descriptions and print facts."""

from __future__ import annotations

import json

from flask import Flask
from ua_parser import parse as parse_user_agent

from registry import permissions
from registry.help import help_url
from registry.submissions.presenters import print_ppi

EVENT_LABELS = {
    "submission.created": "tạo hồ sơ",
    "submission.updated": "sửa thông tin hồ sơ",
    "submission.submit": "gửi thẩm định",
    "submission.withdraw": "rút hồ sơ",
    "submission.claim": "nhận thẩm định",
    "submission.release": "trả hồ sơ về hàng chờ",
    "submission.approve": "duyệt",
    "submission.request_changes": "yêu cầu chỉnh sửa",
    "submission.reject": "không duyệt",
    "submission.revoke": "thu hồi phê duyệt",
    "version.uploaded": "tải lên phiên bản mới",
    "version.renditions_failed": "không tạo được ảnh xem trước của phiên bản",
    "version.renditions_retried": "yêu cầu tạo lại ảnh xem trước của phiên bản",
    "placement.added": "thêm vị trí",
    "placement.updated": "sửa vị trí",
    "placement.deleted": "xóa vị trí",
    "review.started": "bắt đầu lượt thẩm định",
    "review.answered": "đánh giá tiêu chí",
    "review.approve": "kết luận: duyệt",
    "review.request_changes": "kết luận: yêu cầu chỉnh sửa",
    "review.reject": "kết luận: không duyệt",
    "annotation.added": "ghi chú trên mẫu",
    "annotation.resolved": "đánh dấu đã xử lý ghi chú",
    "annotation.replied": "trả lời ghi chú",
    "asset.stored": "lưu mẫu đã duyệt vào kho",
    "asset.revoked": "thu hồi mẫu đã duyệt",
    "asset.downloaded": "tải mẫu đã duyệt",
}


def describe_event(event) -> str:
    """A short Vietnamese description of an audit event."""
    label = EVENT_LABELS.get(event.action, event.action)
    data = event.data or {}
    if event.action.startswith("version."):
        return f"{label} v{data.get('number')}"
    if data.get("comment"):
        return f"{label} — “{data['comment']}”"
    if data.get("address"):
        return f"{label} “{data['address']}”"
    return label


def readable_json(value) -> str:
    """JSON for people: Vietnamese letters as they are, not \\u escapes."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def device_label(user_agent: str) -> str:
    """A browser's User-Agent as people say it: "Chrome Mobile trên Android"."""
    parsed = parse_user_agent(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    if browser and system and system != "Other":
        return f"{browser} trên {system}"
    return browser or "Trình duyệt không rõ"


def init_app(app: Flask) -> None:
    """Make the helpers and the permission predicates available to every template."""
    app.jinja_env.filters["readable_json"] = readable_json
    app.jinja_env.filters["device_label"] = device_label
    app.jinja_env.globals.update(
        describe_event=describe_event,
        help_url=help_url,
        print_ppi=print_ppi,
        **{
            name: getattr(permissions, name)
            for name in (
                "sees_all_units",
                "can_create_submission",
                "can_edit_submission",
                "can_retry_renditions",
                "can_administer",
                "can_view_dashboard",
                "can_review",
                "can_sign",
                "can_act",
                "can_reply_annotation",
                "can_resolve_annotation",
                "is_assignee",
            )
        },
    )
