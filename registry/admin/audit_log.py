"""The audit log as people read it: each event a Vietnamese sentence with names instead of ids,
its changes as before → after; the filters of the admin's page and its CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import request

from registry.admin.forms import AuditFilterForm
from registry.audit import AuditEvent
from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.clock import local_day_start, local_time
from registry.displays.models import CONDITIONS, DISPLAY_STATES
from registry.extensions import db
from registry.notifications.models import CHANNELS
from registry.notifications.models import KINDS as NOTIFY_KINDS
from registry.reviews.models import RESULTS
from registry.submissions.models import FORMATS, SCOPES, STATUSES, Submission
from registry.text import sort_key
from registry.units.models import Unit

# How the doer is named in a sentence, by role.
ACTOR_TITLES = {
    "designer": "Cán bộ thiết kế",
    "reviewer": "Chuyên viên",
    "locality": "Cán bộ địa phương",
    "admin": "Quản trị viên",
}

# Kinds of event (the part of the action before the dot), for the filter.
KINDS = {
    "submission": "Hồ sơ",
    "version": "Phiên bản mẫu",
    "placement": "Vị trí treo/dựng",
    "review": "Thẩm định",
    "annotation": "Ghi chú trên mẫu",
    "asset": "Mẫu đã duyệt",
    "display": "Hiện trường",
    "auth": "Đăng nhập, đăng xuất",
    "user": "Tài khoản",
    "unit": "Đơn vị",
    "campaign": "Đợt tuyên truyền",
    "calendar": "Lịch làm việc",
    "slogan": "Khẩu hiệu",
    "checklist": "Bộ tiêu chí",
}

# What the doer did. {submission}, {user}, {unit}, {campaign} are names looked up from the
# event's ids; other fields come from its data.
SENTENCES = {
    "submission.created": "đã tạo hồ sơ {submission}",
    "submission.updated": "đã sửa thông tin hồ sơ {submission}",
    "submission.submit": "đã gửi thẩm định hồ sơ {submission}",
    "submission.withdraw": "đã rút hồ sơ {submission}",
    "submission.claim": "đã nhận thẩm định hồ sơ {submission}",
    "submission.release": "đã trả hồ sơ {submission} về hàng chờ",
    "submission.approve": "đã duyệt hồ sơ {submission}",
    "submission.request_changes": "đã yêu cầu chỉnh sửa hồ sơ {submission}",
    "submission.reject": "đã không duyệt hồ sơ {submission}",
    "submission.revoke": "đã thu hồi phê duyệt hồ sơ {submission}",
    "submission.recommend_approval": "đã trình lãnh đạo phòng đề xuất duyệt hồ sơ {submission}",
    "submission.recommend_rejection": (
        "đã trình lãnh đạo phòng đề xuất không duyệt hồ sơ {submission}"
    ),
    "submission.sign": "đã ký kết luận hồ sơ {submission}",
    "submission.return": "đã trả lại đề xuất về hồ sơ {submission} cho chuyên viên",
    "version.uploaded": "đã tải lên phiên bản v{number} của hồ sơ {submission}",
    "version.renditions_failed": (
        "không tạo được ảnh xem trước của phiên bản v{number} của hồ sơ {submission}"
    ),
    "version.renditions_retried": (
        "đã yêu cầu tạo lại ảnh xem trước của phiên bản v{number} của hồ sơ {submission}"
    ),
    "placement.added": "đã thêm vị trí “{address}” vào hồ sơ {submission}",
    "placement.updated": "đã sửa vị trí “{address}” của hồ sơ {submission}",
    "placement.deleted": "đã xóa vị trí “{address}” khỏi hồ sơ {submission}",
    "review.started": "đã bắt đầu thẩm định hồ sơ {submission} (phiên bản v{version})",
    "review.answered": "đã đánh giá tiêu chí của hồ sơ {submission}",
    "review.approve": "đã kết luận duyệt hồ sơ {submission} (phiên bản v{version})",
    "review.request_changes": (
        "đã kết luận yêu cầu chỉnh sửa hồ sơ {submission} (phiên bản v{version})"
    ),
    "review.reject": "đã kết luận không duyệt hồ sơ {submission} (phiên bản v{version})",
    "annotation.added": "đã ghi chú trên mẫu của hồ sơ {submission} (phiên bản v{version})",
    "annotation.resolved": "đã đánh dấu xử lý xong một ghi chú của hồ sơ {submission}",
    "annotation.replied": "đã trả lời một ghi chú của hồ sơ {submission}",
    "review.recommended": "đã trình đề xuất về hồ sơ {submission} (phiên bản v{version})",
    "review.returned": "đã trả lại đề xuất về hồ sơ {submission} (phiên bản v{version})",
    "review.text_evidence": (
        "đã đưa kết quả đọc chữ trên mẫu vào phiếu thẩm định hồ sơ {submission} "
        "(phiên bản v{version})"
    ),
    "document.issued": "đã cấp giấy chấp thuận {number} cho mẫu {code} của hồ sơ {submission}",
    "asset.stored": "đã lưu mẫu đã duyệt {code} của hồ sơ {submission} vào kho",
    "asset.revoked": "đã thu hồi mẫu đã duyệt {code} của hồ sơ {submission}",
    "asset.downloaded": "đã tải mẫu đã duyệt {code}",
    "display.install": "đã ghi nhận lắp đặt mẫu của hồ sơ {submission}",
    "display.remove": "đã ghi nhận tháo dỡ mẫu của hồ sơ {submission}",
    "display.inspect": "đã ghi nhận kiểm tra mẫu của hồ sơ {submission}",
    "auth.signed_in": "đã đăng nhập",
    "auth.signed_out": "đã đăng xuất",
    "auth.sign_in_failed": "đăng nhập không thành công với tên “{username}”",
    "auth.signed_out_everywhere": "đã đăng xuất khỏi {ended} phiên ở nơi khác",
    "user.created": "đã tạo tài khoản {user}",
    "user.password_reset": "đã đặt lại mật khẩu cho tài khoản {user}",
    "user.password_changed": "đã đổi mật khẩu của mình",
    "user.password_change_failed": "đã nhập sai mật khẩu hiện tại khi đổi mật khẩu",
    "user.activated": "đã mở khóa tài khoản {user}",
    "user.deactivated": "đã khóa tài khoản {user}",
    "user.notification_preferences": "đã đổi cách nhận thông báo của mình",
    "user.language_changed": "đã đổi ngôn ngữ giao diện của mình",
    "user.reads_minority_scripts": "đã ghi nhận khả năng đọc chữ Khmer, Chăm của tài khoản {user}",
    "unit.created": "đã tạo đơn vị {unit}",
    "unit.renamed": "đã đổi tên đơn vị {unit}",
    "unit.activated": "đã mở lại đơn vị {unit}",
    "unit.deactivated": "đã ngừng dùng đơn vị {unit}",
    "calendar.day_added": "đã thêm vào lịch làm việc của tỉnh ngày {day} ({kind})",
    "calendar.day_removed": "đã bỏ khỏi lịch làm việc của tỉnh ngày {day} ({kind})",
    "campaign.created": "đã tạo đợt tuyên truyền {campaign}",
    "campaign.updated": "đã sửa đợt tuyên truyền {campaign}",
    "campaign.closed": "đã đóng đợt tuyên truyền {campaign}",
    "campaign.reopened": "đã mở lại đợt tuyên truyền {campaign}",
    "campaign.checklist_changed": "đã đổi bộ tiêu chí của đợt tuyên truyền {campaign}",
    "campaign.slogans_official": "đã công bố khẩu hiệu chính thức của đợt {campaign}",
    "slogan.added": "đã thêm khẩu hiệu “{text}” (đợt {campaign})",
    "slogan.updated": "đã sửa một khẩu hiệu (đợt {campaign})",
    "slogan.activated": "đã dùng lại một khẩu hiệu",
    "slogan.deactivated": "đã ngừng dùng một khẩu hiệu",
    "checklist.copied": "đã tạo bộ tiêu chí “{label}” từ “{source}”",
    "checklist.imported": "đã nhập bộ tiêu chí “{label}” từ tệp “{filename}”",
    "checklist.item_added": "đã thêm tiêu chí {code} vào bộ “{version}”",
    "checklist.item_updated": "đã sửa tiêu chí {code} của bộ “{version}”",
}

FIELD_LABELS = {
    "title": "Tên",
    "format": "Hình thức",
    "scope": "Phạm vi",
    "width_cm": "Chiều rộng (cm)",
    "height_cm": "Chiều cao (cm)",
    "description": "Mô tả",
    "other_text": "Nội dung khác",
    "slogan_ids": "Khẩu hiệu",
    "name": "Tên",
    "is_active": "Đang dùng",
    "is_closed": "Đã đóng",
    "is_sample": "Khẩu hiệu mẫu",
    "checklist_version": "Bộ tiêu chí",
    "starts_on": "Ngày bắt đầu",
    "ends_on": "Ngày kết thúc",
    "legal_basis": "Căn cứ",
    "text": "Nội dung",
    "status": "Trạng thái",
    "state": "Tình trạng",
    "signoff_steps": "Ký duyệt",
    "review_days": "Thời hạn thẩm định (ngày làm việc)",
    "answer_days": "Thời hạn chỉnh sửa (ngày làm việc)",
}
FIELD_LABELS.update(
    {"email": "Địa chỉ e-mail", **{f"notify_{k}": f"Nhận “{v}”" for k, v in NOTIFY_KINDS.items()}}
)
_VALUE_LABELS = {
    "format": FORMATS,
    "scope": SCOPES,
    **{f"notify_{k}": CHANNELS for k in NOTIFY_KINDS},
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ReadableEvent:
    event: AuditEvent
    when: str
    actor: str
    username: str
    unit: str
    sentence: str
    changes: list[Change]
    comment: str


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _value(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(_VALUE_LABELS.get(field, {}).get(value, value))


def _changes(event: AuditEvent) -> list[Change]:
    data = event.data or {}
    found = []
    kind = event.action.split(".", 1)[0]
    if kind == "submission" and data.get("source") and data.get("target"):
        found.append(
            Change("Trạng thái", STATUSES.get(data["source"], "—"), STATUSES[data["target"]])
        )
    if kind == "display" and data.get("source") != data.get("target"):
        found.append(
            Change(
                "Tình trạng",
                DISPLAY_STATES.get(data.get("source"), "—"),
                DISPLAY_STATES.get(data.get("target"), "—"),
            )
        )
    if kind == "display" and data.get("condition"):
        found.append(Change("Hiện trạng", "—", CONDITIONS.get(data["condition"], "—")))
    for field, pair in (data.get("changes") or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        if event.action == "review.answered":  # field is a checklist item's code
            found.append(
                Change(f"Tiêu chí {field}", RESULTS.get(before, "—"), RESULTS.get(after, "—"))
            )
        else:
            found.append(
                Change(FIELD_LABELS.get(field, field), _value(field, before), _value(field, after))
            )
    return found


def _names(model, ids: set[int], column) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, column).where(model.id.in_(ids))).all())


def _actor_name(user: User) -> str:
    """The doer as a sentence names them: "Chuyên viên Nguyễn Văn A" (no title twice)."""
    title = ACTOR_TITLES.get(user.role, user.role_label)
    name = user.display_name
    return name if name.lower().startswith(title.lower()) else f"{title} {name}"


def readable(events: Iterable[AuditEvent]) -> list[ReadableEvent]:
    """Each event as a sentence with names; one query per kind of name for the whole batch."""
    events = list(events)
    by_type: dict[str, set[int]] = {}
    for e in events:
        if e.object_id is not None:
            by_type.setdefault(e.object_type, set()).add(e.object_id)
    people = {e.actor_id for e in events if e.actor_id} | by_type.get("User", set())
    users = (
        {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(people)))}
        if people
        else {}
    )
    submissions = _names(
        Submission, {e.submission_id for e in events if e.submission_id}, Submission.title
    )
    units = _names(
        Unit, {e.unit_id for e in events if e.unit_id} | by_type.get("Unit", set()), Unit.name
    )
    campaigns = _names(Campaign, by_type.get("Campaign", set()), Campaign.title)
    campaign_codes = (
        dict(db.session.execute(sa.select(Campaign.code, Campaign.title)).all())
        if any(e.action.startswith("slogan.") for e in events)
        else {}
    )
    result = []
    for e in events:
        data = e.data or {}
        actor = users.get(e.actor_id)
        names = _Blank({k: v for k, v in data.items() if v is not None})
        if e.submission_id in submissions:
            names["submission"] = f"“{submissions[e.submission_id]}”"
        if e.object_type == "User" and e.object_id in users:
            names["user"] = f"{users[e.object_id].display_name} ({users[e.object_id].username})"
        if e.object_type == "Unit" and e.object_id in units:
            names["unit"] = units[e.object_id]
        if e.object_type == "Campaign" and e.object_id in campaigns:
            names["campaign"] = f"“{campaigns[e.object_id]}”"
        if e.action.startswith("slogan.") and data.get("campaign") in campaign_codes:
            names["campaign"] = f"“{campaign_codes[data['campaign']]}”"
        sentence = SENTENCES.get(e.action, f"đã thực hiện {e.action}").format_map(names)
        if actor is not None:
            who = _actor_name(actor)
        else:
            who = "Ai đó" if e.action == "auth.sign_in_failed" else "Hệ thống"
        result.append(
            ReadableEvent(
                event=e,
                when=local_time(e.created_at, "%d/%m/%Y %H:%M:%S"),
                actor=who,
                username=actor.username if actor is not None else "",
                unit=units.get(e.unit_id, ""),
                sentence=f"{who} {sentence}",
                changes=_changes(e),
                comment=str(data.get("comment") or data.get("reason") or ""),
            )
        )
    return result


def _action_label(action: str) -> str:
    """An action as the filter lists it: its sentence without names ("duyệt hồ sơ")."""
    generic = _Blank(submission="", user="", unit="", campaign="")
    return " ".join(SENTENCES[action].format_map(generic).removeprefix("đã ").split())


def audit_filters():
    """The filter form of the audit log, bound to the query string, with its choices."""
    form = AuditFilterForm(formdata=request.args)
    people = db.session.execute(sa.select(User.id, User.username, User.full_name)).all()
    form.user.choices = [("", "Mọi người")] + [
        (str(i), f"{full_name or username} ({username})")
        for i, username, full_name in sorted(people, key=lambda p: sort_key(p[2] or p[1]))
    ]
    units = db.session.execute(sa.select(Unit.code, Unit.name)).all()
    form.unit.choices = [("", "Mọi đơn vị")] + [
        (code, name) for code, name in sorted(units, key=lambda u: sort_key(u[1]))
    ]
    form.kind.choices = {
        "": [("", "Mọi loại sự kiện")],
        **{
            label: [(kind, f"{label}: tất cả")]
            + [(a, _action_label(a)) for a in SENTENCES if a.startswith(f"{kind}.")]
            for kind, label in KINDS.items()
        },
    }
    return form


def filter_values(form) -> dict:
    """The keyword arguments of audit_query from a validated filter form."""
    return {
        "actor_id": int(form.user.data) if form.user.data else None,
        "unit_code": form.unit.data or None,
        "kind": form.kind.data or None,
        "since": form.since.data,
        "until": form.until.data,
    }


def audit_query(
    *,
    actor_id: int | None = None,
    unit_code: str | None = None,
    kind: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> sa.Select:
    """Events newest first, narrowed by who did it, the unit concerned, kind and local days."""
    stmt = sa.select(AuditEvent).order_by(AuditEvent.id.desc())
    if actor_id:
        stmt = stmt.where(AuditEvent.actor_id == actor_id)
    if unit_code:
        stmt = stmt.where(
            AuditEvent.unit_id == sa.select(Unit.id).where(Unit.code == unit_code).scalar_subquery()
        )
    if kind in KINDS:
        stmt = stmt.where(AuditEvent.action.startswith(f"{kind}.", autoescape=True))
    elif kind in SENTENCES:
        stmt = stmt.where(AuditEvent.action == kind)
    if since:
        stmt = stmt.where(AuditEvent.created_at >= local_day_start(since))
    if until:
        stmt = stmt.where(AuditEvent.created_at < local_day_start(until, days_after=1))
    return stmt


CSV_HEADER = [
    "Thời điểm",
    "Người thực hiện",
    "Tên đăng nhập",
    "Đơn vị liên quan",
    "Sự kiện",
    "Thay đổi",
    "Ghi chú",
    "Mã sự kiện",
    "Địa chỉ IP",
]


def csv_rows(stmt: sa.Select, batch: int = 500) -> Iterator[str]:
    """The events of a query as CSV text (UTF-8 with a BOM, for spreadsheet programs), in
    batches so that a long log streams without being held in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow(CSV_HEADER)
    last_id = None
    while True:
        page = stmt if last_id is None else stmt.where(AuditEvent.id < last_id)
        events = list(db.session.scalars(page.limit(batch)))
        if not events:
            break
        for item in readable(events):
            e = item.event
            writer.writerow(
                [
                    item.when,
                    item.actor,
                    item.username,
                    item.unit,
                    item.sentence,
                    "; ".join(f"{c.field}: {c.before} → {c.after}" for c in item.changes),
                    item.comment,
                    e.action,
                    e.remote_addr,
                ]
            )
        yield out.getvalue()
        out.seek(0)
        out.truncate()
        last_id = events[-1].id
    remainder = out.getvalue()
    if remainder:
        yield remainder
