"""The audit log as people read it: each event a sentence in the reader's language with names
instead of ids, its changes as before → after; the filters of the admin's page and its CSV export
(in the exporter's language)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask import request
from flask_babel import LazyString, force_locale, ngettext, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.admin.forms import AuditFilterForm
from registry.audit import AuditEvent
from registry.auth.models import User
from registry.campaigns.models import CALENDAR_DAY_KINDS, Campaign
from registry.clock import local_day_start
from registry.displays.models import CONDITIONS, DISPLAY_STATES
from registry.extensions import db
from registry.i18n import LANGUAGES, day, moment
from registry.notifications.models import CHANNELS
from registry.notifications.models import KINDS as NOTIFY_KINDS
from registry.reviews.models import RESULTS
from registry.submissions.models import FORMATS, SCOPES, STATUSES, Submission
from registry.text import sort_key
from registry.units.models import Unit

# How the doer is named in a sentence, by role.
ACTOR_TITLES = {
    "designer": _l("Cán bộ thiết kế"),
    "reviewer": _l("Chuyên viên"),
    "locality": _l("Cán bộ địa phương"),
    "admin": _l("Quản trị viên"),
}

# Kinds of event (the part of the action before the dot), for the filter.
KINDS = {
    "submission": _l("Hồ sơ"),
    "version": _l("Phiên bản mẫu"),
    "placement": _l("Vị trí treo/dựng"),
    "review": _l("Thẩm định"),
    "annotation": _l("Ghi chú trên mẫu"),
    "asset": _l("Mẫu đã duyệt"),
    "display": _l("Hiện trường"),
    "auth": _l("Đăng nhập, đăng xuất"),
    "user": _l("Tài khoản"),
    "unit": _l("Đơn vị"),
    "campaign": _l("Đợt tuyên truyền"),
    "calendar": _l("Lịch làm việc"),
    "slogan": _l("Khẩu hiệu"),
    "checklist": _l("Bộ tiêu chí"),
}

# What the doer did, as a whole sentence (word order differs between languages). %(actor)s is
# the doer; %(submission)s, %(user)s, %(unit)s, %(campaign)s are names looked up from the event's
# ids; other fields come from its data.
SENTENCES = {
    "submission.created": _l("%(actor)s đã tạo hồ sơ %(submission)s"),
    "submission.updated": _l("%(actor)s đã sửa thông tin hồ sơ %(submission)s"),
    "submission.submit": _l("%(actor)s đã gửi thẩm định hồ sơ %(submission)s"),
    "submission.withdraw": _l("%(actor)s đã rút hồ sơ %(submission)s"),
    "submission.claim": _l("%(actor)s đã nhận thẩm định hồ sơ %(submission)s"),
    "submission.release": _l("%(actor)s đã trả hồ sơ %(submission)s về hàng chờ"),
    "submission.approve": _l("%(actor)s đã duyệt hồ sơ %(submission)s"),
    "submission.request_changes": _l("%(actor)s đã yêu cầu chỉnh sửa hồ sơ %(submission)s"),
    "submission.reject": _l("%(actor)s đã không duyệt hồ sơ %(submission)s"),
    "submission.revoke": _l("%(actor)s đã thu hồi phê duyệt hồ sơ %(submission)s"),
    "submission.recommend_approval": _l(
        "%(actor)s đã trình lãnh đạo phòng đề xuất duyệt hồ sơ %(submission)s"
    ),
    "submission.recommend_rejection": _l(
        "%(actor)s đã trình lãnh đạo phòng đề xuất không duyệt hồ sơ %(submission)s"
    ),
    "submission.sign": _l("%(actor)s đã ký kết luận hồ sơ %(submission)s"),
    "submission.return": _l("%(actor)s đã trả lại đề xuất về hồ sơ %(submission)s cho chuyên viên"),
    "version.uploaded": _l("%(actor)s đã tải lên phiên bản v%(number)s của hồ sơ %(submission)s"),
    "version.renditions_failed": _l(
        "%(actor)s không tạo được ảnh xem trước của phiên bản v%(number)s của hồ sơ %(submission)s"
    ),
    "version.renditions_retried": _l(
        "%(actor)s đã yêu cầu tạo lại ảnh xem trước của phiên bản v%(number)s của hồ sơ "
        "%(submission)s"
    ),
    "placement.added": _l("%(actor)s đã thêm vị trí “%(address)s” vào hồ sơ %(submission)s"),
    "placement.updated": _l("%(actor)s đã sửa vị trí “%(address)s” của hồ sơ %(submission)s"),
    "placement.deleted": _l("%(actor)s đã xóa vị trí “%(address)s” khỏi hồ sơ %(submission)s"),
    "review.started": _l(
        "%(actor)s đã bắt đầu thẩm định hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "review.answered": _l("%(actor)s đã đánh giá tiêu chí của hồ sơ %(submission)s"),
    "review.approve": _l(
        "%(actor)s đã kết luận duyệt hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "review.request_changes": _l(
        "%(actor)s đã kết luận yêu cầu chỉnh sửa hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "review.reject": _l(
        "%(actor)s đã kết luận không duyệt hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "annotation.added": _l(
        "%(actor)s đã ghi chú trên mẫu của hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "annotation.resolved": _l(
        "%(actor)s đã đánh dấu xử lý xong một ghi chú của hồ sơ %(submission)s"
    ),
    "annotation.replied": _l("%(actor)s đã trả lời một ghi chú của hồ sơ %(submission)s"),
    "review.recommended": _l(
        "%(actor)s đã trình đề xuất về hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "review.returned": _l(
        "%(actor)s đã trả lại đề xuất về hồ sơ %(submission)s (phiên bản v%(version)s)"
    ),
    "review.text_evidence": _l(
        "%(actor)s đã đưa kết quả đọc chữ trên mẫu vào phiếu thẩm định hồ sơ %(submission)s "
        "(phiên bản v%(version)s)"
    ),
    "document.issued": _l(
        "%(actor)s đã cấp giấy chấp thuận %(number)s cho mẫu %(code)s của hồ sơ %(submission)s"
    ),
    "asset.stored": _l("%(actor)s đã lưu mẫu đã duyệt %(code)s của hồ sơ %(submission)s vào kho"),
    "asset.revoked": _l("%(actor)s đã thu hồi mẫu đã duyệt %(code)s của hồ sơ %(submission)s"),
    "asset.downloaded": _l("%(actor)s đã tải mẫu đã duyệt %(code)s"),
    "display.install": _l("%(actor)s đã ghi nhận lắp đặt mẫu của hồ sơ %(submission)s"),
    "display.remove": _l("%(actor)s đã ghi nhận tháo dỡ mẫu của hồ sơ %(submission)s"),
    "display.inspect": _l("%(actor)s đã ghi nhận kiểm tra mẫu của hồ sơ %(submission)s"),
    "auth.signed_in": _l("%(actor)s đã đăng nhập"),
    "auth.signed_out": _l("%(actor)s đã đăng xuất"),
    "auth.sign_in_failed": _l("%(actor)s đăng nhập không thành công với tên “%(username)s”"),
    "auth.signed_out_everywhere": _l("%(actor)s đã đăng xuất khỏi %(ended)s phiên ở nơi khác"),
    "user.created": _l("%(actor)s đã tạo tài khoản %(user)s"),
    "user.password_reset": _l("%(actor)s đã đặt lại mật khẩu cho tài khoản %(user)s"),
    "user.password_changed": _l("%(actor)s đã đổi mật khẩu của mình"),
    "user.password_change_failed": _l("%(actor)s đã nhập sai mật khẩu hiện tại khi đổi mật khẩu"),
    "user.activated": _l("%(actor)s đã mở khóa tài khoản %(user)s"),
    "user.deactivated": _l("%(actor)s đã khóa tài khoản %(user)s"),
    "user.notification_preferences": _l("%(actor)s đã đổi cách nhận thông báo của mình"),
    "user.language_changed": _l("%(actor)s đã đổi ngôn ngữ giao diện của mình"),
    "user.reads_minority_scripts": _l(
        "%(actor)s đã ghi nhận khả năng đọc chữ Khmer, Chăm của tài khoản %(user)s"
    ),
    "unit.created": _l("%(actor)s đã tạo đơn vị %(unit)s"),
    "unit.renamed": _l("%(actor)s đã đổi tên đơn vị %(unit)s"),
    "unit.activated": _l("%(actor)s đã mở lại đơn vị %(unit)s"),
    "unit.deactivated": _l("%(actor)s đã ngừng dùng đơn vị %(unit)s"),
    "calendar.day_added": _l(
        "%(actor)s đã thêm vào lịch làm việc của tỉnh ngày %(day)s (%(kind)s)"
    ),
    "calendar.day_removed": _l(
        "%(actor)s đã bỏ khỏi lịch làm việc của tỉnh ngày %(day)s (%(kind)s)"
    ),
    "campaign.created": _l("%(actor)s đã tạo đợt tuyên truyền %(campaign)s"),
    "campaign.updated": _l("%(actor)s đã sửa đợt tuyên truyền %(campaign)s"),
    "campaign.closed": _l("%(actor)s đã đóng đợt tuyên truyền %(campaign)s"),
    "campaign.reopened": _l("%(actor)s đã mở lại đợt tuyên truyền %(campaign)s"),
    "campaign.checklist_changed": _l(
        "%(actor)s đã đổi bộ tiêu chí của đợt tuyên truyền %(campaign)s"
    ),
    "campaign.slogans_official": _l(
        "%(actor)s đã công bố khẩu hiệu chính thức của đợt %(campaign)s"
    ),
    "slogan.added": _l("%(actor)s đã thêm khẩu hiệu “%(text)s” (đợt %(campaign)s)"),
    "slogan.updated": _l("%(actor)s đã sửa một khẩu hiệu (đợt %(campaign)s)"),
    "slogan.activated": _l("%(actor)s đã dùng lại một khẩu hiệu"),
    "slogan.deactivated": _l("%(actor)s đã ngừng dùng một khẩu hiệu"),
    "checklist.copied": _l("%(actor)s đã tạo bộ tiêu chí “%(label)s” từ “%(source)s”"),
    "checklist.imported": _l("%(actor)s đã nhập bộ tiêu chí “%(label)s” từ tệp “%(filename)s”"),
    "checklist.item_added": _l("%(actor)s đã thêm tiêu chí %(code)s vào bộ “%(version)s”"),
    "checklist.item_updated": _l("%(actor)s đã sửa tiêu chí %(code)s của bộ “%(version)s”"),
}

FIELD_LABELS = {
    "title": _l("Tên"),
    "format": _l("Hình thức"),
    "scope": _l("Phạm vi"),
    "width_cm": _l("Chiều rộng (cm)"),
    "height_cm": _l("Chiều cao (cm)"),
    "description": _l("Mô tả"),
    "other_text": _l("Nội dung khác"),
    "slogan_ids": _l("Khẩu hiệu"),
    "name": _l("Tên"),
    "is_active": _l("Đang dùng"),
    "is_closed": _l("Đã đóng"),
    "is_sample": _l("Khẩu hiệu mẫu"),
    # One checklist, where the menu says "Checklists" (the same Vietnamese word).
    "checklist_version": LazyString(lambda: pgettext("singular", "Bộ tiêu chí")),
    "starts_on": _l("Ngày bắt đầu"),
    "ends_on": _l("Ngày kết thúc"),
    "legal_basis": _l("Căn cứ"),
    "text": _l("Nội dung"),
    "status": _l("Trạng thái"),
    "state": _l("Tình trạng"),
    "signoff_steps": _l("Ký duyệt"),
    "review_days": _l("Thời hạn thẩm định (ngày làm việc)"),
    "answer_days": _l("Thời hạn chỉnh sửa (ngày làm việc)"),
}
FIELD_LABELS.update(
    {
        "email": _l("Địa chỉ e-mail"),
        **{f"notify_{k}": _l("Nhận “%(kind)s”", kind=v) for k, v in NOTIFY_KINDS.items()},
    }
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


_DATE_FIELDS = {"starts_on", "ends_on"}


def _in_every_language(text) -> set[str]:
    """A lazy label as each language of the interface writes it, in lower case."""
    written = set()
    for language in LANGUAGES:
        with force_locale(language):
            written.add(str(text).lower())
    return written


def _value(field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if field in _DATE_FIELDS and isinstance(value, str):
        try:
            return day(date.fromisoformat(value))
        except ValueError:
            return value
    return str(_VALUE_LABELS.get(field, {}).get(value, value))


def _label(labels: dict, key) -> str:
    return str(labels.get(key, "—")) if key is not None else "—"


def _changes(event: AuditEvent) -> list[Change]:
    data = event.data or {}
    found = []
    kind = event.action.split(".", 1)[0]
    if kind == "submission" and data.get("source") and data.get("target"):
        found.append(
            Change(
                _("Trạng thái"),
                _label(STATUSES, data["source"]),
                _label(STATUSES, data["target"]),
            )
        )
    if kind == "display" and data.get("source") != data.get("target"):
        found.append(
            Change(
                _("Tình trạng"),
                _label(DISPLAY_STATES, data.get("source")),
                _label(DISPLAY_STATES, data.get("target")),
            )
        )
    if kind == "display" and data.get("condition"):
        found.append(Change(_("Hiện trạng"), "—", _label(CONDITIONS, data["condition"])))
    for field, pair in (data.get("changes") or {}).items():
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            continue
        before, after = pair
        if event.action == "review.answered":  # field is a checklist item's code
            found.append(
                Change(
                    _("Tiêu chí %(code)s", code=field),
                    _label(RESULTS, before),
                    _label(RESULTS, after),
                )
            )
        else:
            found.append(
                Change(
                    str(FIELD_LABELS.get(field, field)),
                    _value(field, before),
                    _value(field, after),
                )
            )
    return found


def _names(model, ids: set[int], column) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, column).where(model.id.in_(ids))).all())


def _actor_name(user: User) -> str:
    """The doer as a sentence names them: "Chuyên viên Nguyễn Văn A" (no title twice: a name
    that begins with the title, in any language of the interface, keeps only the name)."""
    title = ACTOR_TITLES.get(user.role, user.role_label)
    name = user.display_name
    words = name.lower()
    if any(words == t or words.startswith(f"{t} ") for t in _in_every_language(title)):
        return name
    return _("%(title)s %(name)s", title=title, name=name)


def _calendar_names(data: dict) -> dict[str, str]:
    """The day and kind of a calendar event in the reader's words (stored as "05/01/2026" and
    the kind's label in the language of the admin who made the change)."""
    names = {}
    with suppress(ValueError):
        names["day"] = day(datetime.strptime(str(data.get("day")), "%d/%m/%Y").date())
    stored = str(data.get("kind") or "").lower()
    for code, label in CALENDAR_DAY_KINDS.items():
        if stored == code or stored in _in_every_language(label):
            names["kind"] = str(label).lower()
    return names


def _sentence(event: AuditEvent, names: _Blank) -> str:
    count = (event.data or {}).get("ended")
    if event.action == "auth.signed_out_everywhere" and isinstance(count, int):
        return ngettext(
            "%(actor)s đã đăng xuất khỏi %(num)d phiên ở nơi khác",
            "%(actor)s đã đăng xuất khỏi %(num)d phiên ở nơi khác",
            count,
            actor=names["actor"],
        )
    if event.action in SENTENCES:
        return SENTENCES[event.action] % names
    return _("%(actor)s đã thực hiện %(action)s", actor=names["actor"], action=event.action)


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
        if e.action.startswith("calendar."):
            names.update(_calendar_names(data))
        if actor is not None:
            who = _actor_name(actor)
        else:
            who = _("Ai đó") if e.action == "auth.sign_in_failed" else _("Hệ thống")
        names["actor"] = who
        result.append(
            ReadableEvent(
                event=e,
                when=moment(e.created_at, seconds=True),
                actor=who,
                username=actor.username if actor is not None else "",
                unit=units.get(e.unit_id, ""),
                sentence=_sentence(e, names),
                changes=_changes(e),
                comment=str(data.get("comment") or data.get("reason") or ""),
            )
        )
    return result


def _action_label(action: str) -> str:
    """An action as the filter lists it: its sentence without names ("duyệt hồ sơ")."""
    generic = _Blank(actor="", submission="", user="", unit="", campaign="")
    words = " ".join((SENTENCES[action] % generic).split())
    return words.removeprefix("đã ")  # not interface: Vietnamese's past marker, left out here


def audit_filters():
    """The filter form of the audit log, bound to the query string, with its choices."""
    form = AuditFilterForm(formdata=request.args)
    people = db.session.execute(sa.select(User.id, User.username, User.full_name)).all()
    form.user.choices = [("", _("Mọi người"))] + [
        (str(i), f"{full_name or username} ({username})")
        for i, username, full_name in sorted(people, key=lambda p: sort_key(p[2] or p[1]))
    ]
    units = db.session.execute(sa.select(Unit.code, Unit.name)).all()
    form.unit.choices = [("", _("Mọi đơn vị"))] + [
        (code, name) for code, name in sorted(units, key=lambda u: sort_key(u[1]))
    ]
    form.kind.choices = {
        "": [("", _("Mọi loại sự kiện"))],
        **{
            str(label): [(kind, _("%(kind)s: tất cả", kind=label))]
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
    _l("Thời điểm"),
    _l("Người thực hiện"),
    _l("Tên đăng nhập"),
    _l("Đơn vị liên quan"),
    _l("Sự kiện"),
    _l("Thay đổi"),
    _l("Ghi chú"),
    _l("Mã sự kiện"),
    _l("Địa chỉ IP"),
]


def csv_rows(stmt: sa.Select, batch: int = 500) -> Iterator[str]:
    """The events of a query as CSV text (UTF-8 with a BOM, for spreadsheet programs), in
    batches so that a long log streams without being held in memory."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")
    writer.writerow([str(title) for title in CSV_HEADER])
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
