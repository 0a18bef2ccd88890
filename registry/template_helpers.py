"""Helpers that templates call: event descriptions and print facts."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from flask import Flask, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from ua_parser import parse as parse_user_agent

from registry import permissions
from registry.help import help_url
from registry.submissions.models import FORMATS, STATUSES
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


# Stands for a row's value in a URL built once per page: digits, so that an int converter takes
# it as well as a string one.
_ROW_MARK = "9081726354"
# A value every URL converter writes unchanged (no quoting, no padding): ids and approval codes.
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9._~-]+")


def row_url(endpoint: str, field: str, **values) -> Callable[[object], str]:
    """The URLs of a list's rows, built once per page: `row_url('library.detail', 'code')`
    gives a function of the row's code. `url_for` per row was a large share of a list page's
    time (some hundred calls a page); a value that a converter might quote, or a URL where the
    mark does not stand once, still goes through `url_for`."""
    url = url_for(endpoint, **values, **{field: _ROW_MARK})
    if url.count(_ROW_MARK) != 1:
        return lambda value: url_for(endpoint, **values, **{field: value})
    head, tail = url.split(_ROW_MARK)

    def build(value) -> str:
        text = str(value)
        if not _PLAIN_VALUE.fullmatch(text):
            return url_for(endpoint, **values, **{field: value})
        return head + text + tail

    return build


def status_badges() -> dict[str, Markup]:
    """Each submission state's badge, in the reader's language (a list page writes its rows'
    badges from these rather than translating one per row)."""
    return {
        code: Markup('<span class="badge status-{}">{}</span>').format(code, label)
        for code, label in STATUSES.items()
    }


def format_labels() -> dict[str, str]:
    """Each format's name, in the reader's language, for a list page's rows."""
    return {code: str(label) for code, label in FORMATS.items()}


def init_app(app: Flask) -> None:
    """Make the helpers and the permission predicates available to every template."""
    app.jinja_env.filters["readable_json"] = readable_json
    app.jinja_env.filters["device_label"] = device_label
    app.jinja_env.globals.update(
        describe_event=describe_event,
        help_url=help_url,
        print_ppi=print_ppi,
        row_url=row_url,
        status_badges=status_badges,
        format_labels=format_labels,
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
