"""Helpers that templates call: event descriptions and print facts."""

from __future__ import annotations

import json

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from ua_parser import parse as parse_user_agent

from registry import permissions
from registry.help import help_url
from registry.submissions.presenters import print_ppi

EVENT_LABELS = {
    "submission.created": _l("tạo hồ sơ"),
    "submission.updated": _l("sửa thông tin hồ sơ"),
    "submission.submit": _l("gửi thẩm định"),
    "submission.withdraw": _l("rút hồ sơ"),
    "submission.claim": _l("nhận thẩm định"),
    "submission.release": _l("trả hồ sơ về hàng chờ"),
    "submission.approve": _l("duyệt"),
    "submission.request_changes": _l("yêu cầu chỉnh sửa"),
    "submission.reject": _l("không duyệt"),
    "submission.revoke": _l("thu hồi phê duyệt"),
    "version.uploaded": _l("tải lên phiên bản mới"),
    "version.renditions_failed": _l("không tạo được ảnh xem trước của phiên bản"),
    "version.renditions_retried": _l("yêu cầu tạo lại ảnh xem trước của phiên bản"),
    "placement.added": _l("thêm vị trí"),
    "placement.updated": _l("sửa vị trí"),
    "placement.deleted": _l("xóa vị trí"),
    "review.started": _l("bắt đầu lượt thẩm định"),
    "review.answered": _l("đánh giá tiêu chí"),
    "review.approve": _l("kết luận: duyệt"),
    "review.request_changes": _l("kết luận: yêu cầu chỉnh sửa"),
    "review.reject": _l("kết luận: không duyệt"),
    "annotation.added": _l("ghi chú trên mẫu"),
    "annotation.resolved": _l("đánh dấu đã xử lý ghi chú"),
    "annotation.replied": _l("trả lời ghi chú"),
    "asset.stored": _l("lưu mẫu đã duyệt vào kho"),
    "asset.revoked": _l("thu hồi mẫu đã duyệt"),
    "asset.downloaded": _l("tải mẫu đã duyệt"),
}


def describe_event(event) -> str:
    """A short description of an audit event, in the reader's language."""
    label = str(EVENT_LABELS.get(event.action, event.action))
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
    """A browser's User-Agent as people say it: "Chrome Mobile on Android"."""
    parsed = parse_user_agent(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else None
    system = parsed.os.family if parsed.os else None
    if browser and system and system != "Other":
        return _("%(browser)s trên %(system)s", browser=browser, system=system)
    return browser or _("Trình duyệt không rõ")


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
