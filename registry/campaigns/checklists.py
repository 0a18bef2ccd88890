"""Admin operations on checklist versions: copy, import from Markdown, edit while unused.

They only flush; the request commits once. Every change writes an audit event.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from registry.audit import record_event
from registry.auth.models import User
from registry.campaigns.models import CHECK_KINDS, CHECKLIST_GROUPS, ChecklistItem, ChecklistVersion
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput
from registry.extensions import db
from registry.operations import apply_changes, exists, flush_unique, plain
from registry.refdata import parse_checklist
from registry.reviews.models import Review
from registry.text import nfc_one_line, nfc_stripped, refusal

ITEM_FIELDS = (
    "text",
    "gloss",
    "check_kind",
    "check_note",
    "legal_source",
    "source_confidence",
    "is_required",
    "allows_na",
)
_COPIED_ITEM_FIELDS = ("code", "group_code", "position", *ITEM_FIELDS)
# A first table cell that looks like an item code ("CT-01", but also "XY-3", "ct-1").
_CODE_CELL = re.compile(r"^\|\s*([^\s|]+-\d+)\s*\|")
_VALID_CODE = re.compile(r"(CT|TP|MQ|PL)-\d\d")


# Checklist versions


def is_checklist_version_frozen(version: ChecklistVersion) -> bool:
    """Whether a review uses this version: then it never changes."""
    return exists(sa.select(Review.id).where(Review.checklist_version_id == version.id))


def _ensure_editable(version: ChecklistVersion) -> None:
    # The same row lock that start_review takes: no review can begin on this version
    # between the check below and the edit that follows it.
    db.session.execute(
        sa.select(ChecklistVersion.id).where(ChecklistVersion.id == version.id).with_for_update()
    )
    if is_checklist_version_frozen(version):
        raise Conflict(
            _(
                "Phiên bản “%(label)s” đã được dùng để thẩm định nên không sửa được: mỗi "
                "lượt thẩm định giữ nguyên phiên bản bộ tiêu chí đã dùng. Hãy sao chép thành "
                "phiên bản mới rồi sửa trên bản sao.",
                label=version.label,
            ),
            code=ErrorCode.CHECKLIST_FROZEN,
        )


def _new_version(label: str, note: str) -> ChecklistVersion:
    label = nfc_one_line(label)
    if not label:
        raise InvalidInput(_("Vui lòng nhập tên phiên bản."), field="label")
    if len(label) > 200:
        raise InvalidInput(_("Tên phiên bản tối đa 200 ký tự."), field="label")
    if exists(sa.select(ChecklistVersion.id).where(ChecklistVersion.label == label)):
        raise Conflict(
            _("Đã có phiên bản tên “%(label)s”. Vui lòng đặt tên khác.", label=label),
            field="label",
        )
    version = ChecklistVersion(label=label, note=nfc_stripped(note))
    db.session.add(version)
    return version


def copy_checklist_version(
    actor: User, source: ChecklistVersion, label: str, note: str = ""
) -> ChecklistVersion:
    """Create a new, editable version with a copy of every item of an existing one."""
    version = _new_version(label, note)
    for item in source.items:
        version.items.append(
            ChecklistItem(**{name: getattr(item, name) for name in _COPIED_ITEM_FIELDS})
        )
    flush_unique(_("Đã có phiên bản tên “%(label)s”.", label=version.label), "label")
    record_event(
        actor,
        "checklist.copied",
        version,
        label=version.label,
        source=source.label,
        items=len(version.items),
    )
    return version


def _read_items(markdown: str) -> list[dict]:
    """The items of a checklist Markdown file, refusing what the registry cannot use."""
    odd = sorted(
        {
            match.group(1)
            for line in markdown.splitlines()
            if (match := _CODE_CELL.match(line.strip()))
            and not _VALID_CODE.fullmatch(match.group(1))
        }
    )
    if odd:
        raise InvalidInput(
            _(
                "Tệp có mã tiêu chí không hợp lệ: %(codes)s. Mã phải thuộc một trong bốn nhóm "
                "CT, TP, MQ, PL, dạng CT-01.",
                codes=", ".join(odd[:10]),
            ),
            field="file",
        )
    items = parse_checklist(markdown)
    if not items:
        raise InvalidInput(
            _(
                "Tệp không có tiêu chí nào. Mỗi tiêu chí là một dòng bảng Markdown như trong "
                "checklist.md: | Mã | Tiêu chí | Giải thích | Kiểm tra | Căn cứ | Tin cậy |, "
                "với mã dạng CT-01, TP-01, MQ-01 hoặc PL-01."
            ),
            field="file",
        )
    codes = [item["code"] for item in items]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise InvalidInput(
            _("Tệp có mã tiêu chí bị lặp: %(codes)s.", codes=", ".join(twice)), field="file"
        )
    empty = [item["code"] for item in items if not item["text"]]
    if empty:
        raise InvalidInput(
            _("Các tiêu chí sau chưa có nội dung: %(codes)s.", codes=", ".join(empty)),
            field="file",
        )
    for item in items:
        for value in item.values():
            if isinstance(value, str) and (problem := refusal(value)):
                raise InvalidInput(
                    _(
                        "Tiêu chí %(code)s trong tệp %(problem)s",
                        code=item["code"],
                        problem=problem,
                    ),
                    field="file",
                )
    return items


def import_checklist_version(
    actor: User,
    label: str,
    note: str,
    markdown: str,
    *,
    flags_from: ChecklistVersion | None = None,
    filename: str = "",
) -> ChecklistVersion:
    """Create a version from a checklist Markdown file in the format of checklist.md.

    The file carries no "required" or "not applicable" flags; items take them from the same
    code in `flags_from`, and otherwise are required and may be answered "not applicable".
    """
    items = _read_items(markdown)
    version = _new_version(label, note)
    flags = {i.code: (i.is_required, i.allows_na) for i in flags_from.items} if flags_from else {}
    for position, item in enumerate(items, start=1):
        is_required, allows_na = flags.get(item["code"], (True, True))
        version.items.append(
            ChecklistItem(position=position, is_required=is_required, allows_na=allows_na, **item)
        )
    flush_unique(_("Đã có phiên bản tên “%(label)s”.", label=version.label), "label")
    record_event(
        actor,
        "checklist.imported",
        version,
        label=version.label,
        filename=filename,
        items=len(items),
        flags_from=flags_from.label if flags_from else None,
    )
    return version


def _item_fields(fields: dict) -> dict:
    values = {name: fields[name] for name in ITEM_FIELDS}
    for name in ("text", "gloss", "check_note", "legal_source", "source_confidence"):
        values[name] = nfc_stripped(values[name])
    if not values["text"]:
        raise InvalidInput(_("Vui lòng nhập nội dung tiêu chí."), field="text")
    if values["check_kind"] not in CHECK_KINDS:
        raise InvalidInput(_("Cách kiểm tra không hợp lệ."), field="check_kind")
    values["is_required"] = bool(values["is_required"])
    values["allows_na"] = bool(values["allows_na"])
    return values


def update_checklist_item(actor: User, item: ChecklistItem, **fields) -> dict:
    """Edit an item of a version that no review uses yet; return what changed."""
    _ensure_editable(item.version)
    changes = apply_changes(item, _item_fields(fields))
    if changes:
        record_event(
            actor,
            "checklist.item_updated",
            item,
            version=item.version.label,
            code=item.code,
            changes=changes,
        )
    return changes


def add_checklist_item(
    actor: User, version: ChecklistVersion, group_code: str, **fields
) -> ChecklistItem:
    """Add an item at the end of its group, with the group's next code (e.g. CT-13)."""
    _ensure_editable(version)
    if group_code not in CHECKLIST_GROUPS:
        raise InvalidInput(_("Nhóm tiêu chí không hợp lệ."), field="group_code")
    numbers = [
        int(i.code.rsplit("-", 1)[1])
        for i in version.items
        if i.group_code == group_code and i.code.rsplit("-", 1)[1].isdigit()
    ]
    code = f"{group_code}-{max(numbers, default=0) + 1:02d}"
    item = ChecklistItem(code=code, group_code=group_code, position=0, **_item_fields(fields))
    version.items.append(item)
    # Renumber in group order so that the new item follows the last one of its group.
    order = list(CHECKLIST_GROUPS)
    ranked = sorted(
        version.items,
        key=lambda i: (order.index(i.group_code), i is item, i.position),
    )
    for position, each in enumerate(ranked, start=1):
        each.position = position
    flush_unique(_("Mã %(code)s vừa được dùng. Vui lòng thử lại.", code=code), "text")
    record_event(
        actor,
        "checklist.item_added",
        item,
        version=version.label,
        code=code,
        changes={name: [None, plain(getattr(item, name))] for name in ITEM_FIELDS},
    )
    return item
