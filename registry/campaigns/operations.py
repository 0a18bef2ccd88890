"""Admin operations on campaigns and their slogans (checklists: registry.campaigns.checklists;
units: registry.units.operations).

They only flush; the request commits once. Every change writes an audit event with the values
before and after.
"""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from registry.audit import record_event
from registry.auth.models import User
from registry.campaigns.models import (
    DEFAULT_ANSWER_DAYS,
    DEFAULT_REVIEW_DAYS,
    MAX_DUE_DAYS,
    SIGNOFF_STEPS,
    Campaign,
    ChecklistVersion,
    Slogan,
)
from registry.duedates import refresh_open_due_dates
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput
from registry.extensions import db
from registry.i18n import day
from registry.operations import apply_changes, checked_code, exists, flush_unique, plain, switch
from registry.submissions.models import submission_slogans
from registry.text import nfc_one_line, nfc_stripped

CAMPAIGN_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]*")


# Campaigns


def _check_campaign_fields(title: str, starts_on: date | None, ends_on: date | None) -> None:
    if not title:
        raise InvalidInput(_("Vui lòng nhập tên đợt tuyên truyền."), field="title")
    if starts_on is None:
        raise InvalidInput(_("Vui lòng chọn ngày bắt đầu."), field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput(
            _(
                "Ngày kết thúc phải bằng hoặc sau ngày bắt đầu (%(day)s). Để trống nếu đợt "
                "không có thời hạn.",
                day=day(starts_on),
            ),
            field="ends_on",
        )


def create_campaign(
    actor: User,
    *,
    code: str,
    title: str,
    legal_basis: str,
    description: str,
    starts_on: date,
    ends_on: date | None,
    checklist_version: ChecklistVersion,
    signoff_steps: int = 1,
    review_days: int | None = None,
    answer_days: int | None = None,
) -> Campaign:
    """Create a campaign that uses an existing checklist version."""
    code = checked_code(
        code,
        CAMPAIGN_CODE,
        _(
            "Mã đợt chỉ gồm chữ không dấu, số, dấu chấm, gạch ngang (tối đa 32 ký tự), "
            "ví dụ KL288-2026."
        ),
    )
    title = nfc_one_line(title)
    _check_campaign_fields(title, starts_on, ends_on)
    message = _("Mã đợt “%(code)s” đã được dùng. Vui lòng chọn mã khác.", code=code)
    if exists(sa.select(Campaign.id).where(Campaign.code == code)):
        raise Conflict(message, field="code")
    campaign = Campaign(
        code=code,
        title=title,
        legal_basis=nfc_stripped(legal_basis),
        description=nfc_stripped(description),
        starts_on=starts_on,
        ends_on=ends_on,
        checklist_version=checklist_version,
        signoff_steps=_signoff_steps(signoff_steps),
        review_days=_due_days(review_days, DEFAULT_REVIEW_DAYS, "review_days"),
        answer_days=_due_days(answer_days, DEFAULT_ANSWER_DAYS, "answer_days"),
    )
    db.session.add(campaign)
    flush_unique(message, "code")
    record_event(
        actor,
        "campaign.created",
        campaign,
        code=code,
        title=title,
        legal_basis=campaign.legal_basis,
        starts_on=plain(starts_on),
        ends_on=plain(ends_on),
        checklist_version=checklist_version.label,
        signoff_steps=campaign.signoff_steps,
        review_days=campaign.review_days,
        answer_days=campaign.answer_days,
    )
    return campaign


def _due_days(days: int | None, default: int, field: str) -> int:
    if days is None:
        return default
    if not 1 <= days <= MAX_DUE_DAYS:
        raise InvalidInput(
            _("Thời hạn từ %(min)s đến %(max)s ngày làm việc.", min=1, max=MAX_DUE_DAYS),
            field=field,
        )
    return days


def _signoff_steps(steps: int) -> int:
    if steps not in SIGNOFF_STEPS:
        raise InvalidInput(_("Cách ký duyệt chỉ là một bước hoặc hai bước."), field="signoff_steps")
    return steps


def update_campaign(
    actor: User,
    campaign: Campaign,
    *,
    title: str,
    legal_basis: str,
    description: str,
    starts_on: date,
    ends_on: date | None,
    signoff_steps: int | None = None,
    review_days: int | None = None,
    answer_days: int | None = None,
) -> dict:
    """Change a campaign's title, legal basis, description or dates; return what changed."""
    title = nfc_one_line(title)
    _check_campaign_fields(title, starts_on, ends_on)
    changes = apply_changes(
        campaign,
        {
            "title": title,
            "legal_basis": nfc_stripped(legal_basis),
            "description": nfc_stripped(description),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "signoff_steps": _signoff_steps(
                campaign.signoff_steps if signoff_steps is None else signoff_steps
            ),
            "review_days": _due_days(review_days, campaign.review_days, "review_days"),
            "answer_days": _due_days(answer_days, campaign.answer_days, "answer_days"),
        },
    )
    if changes:
        record_event(actor, "campaign.updated", campaign, code=campaign.code, changes=changes)
    if "review_days" in changes or "answer_days" in changes:
        db.session.flush()
        refresh_open_due_dates(campaign)
    return changes


def set_campaign_closed(actor: User, campaign: Campaign, closed: bool) -> None:
    """Close a campaign to new submissions, or reopen it."""
    actions = ("campaign.reopened", "campaign.closed")
    switch(actor, campaign, "is_closed", closed, actions, code=campaign.code)


def assign_checklist_version(actor: User, campaign: Campaign, version: ChecklistVersion) -> None:
    """Make future reviews of the campaign use this version; existing reviews keep theirs."""
    if not version.items:
        raise InvalidInput(
            _("Phiên bản “%(label)s” chưa có tiêu chí nào.", label=version.label),
            field="checklist_version_id",
        )
    before = campaign.checklist_version
    if before.id == version.id:
        return
    campaign.checklist_version = version
    record_event(
        actor,
        "campaign.checklist_changed",
        campaign,
        code=campaign.code,
        changes={"checklist_version": [before.label, version.label]},
    )


# Slogans


def _ensure_unique_slogan(campaign: Campaign, text: str, slogan: Slogan | None = None) -> None:
    for other in campaign.slogans:
        if other.text == text and other is not slogan:
            if other.is_active:
                message = _("Khẩu hiệu “%(text)s” đã có trong danh mục của đợt này.", text=text)
            else:
                message = _(
                    "Khẩu hiệu “%(text)s” đã có trong danh mục của đợt này (đang ngưng dùng; có "
                    "thể dùng lại khẩu hiệu đó).",
                    text=text,
                )
            raise Conflict(message, field="text")


def add_slogan(actor: User, campaign: Campaign, text: str, note: str = "") -> Slogan:
    """Add an approved slogan (NFC, single spaces) to the campaign's list."""
    text = nfc_one_line(text)
    if not text:
        raise InvalidInput(_("Vui lòng nhập nội dung khẩu hiệu."), field="text")
    _ensure_unique_slogan(campaign, text)
    position = max((s.position for s in campaign.slogans), default=0) + 1
    slogan = Slogan(text=text, note=nfc_stripped(note), position=position)
    campaign.slogans.append(slogan)
    flush_unique(_("Khẩu hiệu “%(text)s” đã có trong danh mục của đợt này.", text=text), "text")
    record_event(actor, "slogan.added", slogan, campaign=campaign.code, text=text)
    return slogan


def slogan_use_count(slogan: Slogan) -> int:
    """How many submissions declare this slogan."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(submission_slogans)
        .where(submission_slogans.c.slogan_id == slogan.id)
    )


def update_slogan(actor: User, slogan: Slogan, text: str, note: str = "") -> dict:
    """Correct a slogan; its text only while no submission uses it."""
    text = nfc_one_line(text)
    if not text:
        raise InvalidInput(_("Vui lòng nhập nội dung khẩu hiệu."), field="text")
    if text != slogan.text:
        used = slogan_use_count(slogan)
        if used:
            raise Conflict(
                ngettext(
                    "Khẩu hiệu này đã được dùng trong %(num)d hồ sơ nên không sửa được nội dung "
                    "(hồ sơ phải giữ đúng khẩu hiệu đã khai). Hãy ngưng dùng khẩu hiệu này và "
                    "thêm khẩu hiệu mới với nội dung đúng.",
                    "Khẩu hiệu này đã được dùng trong %(num)d hồ sơ nên không sửa được nội dung "
                    "(hồ sơ phải giữ đúng khẩu hiệu đã khai). Hãy ngưng dùng khẩu hiệu này và "
                    "thêm khẩu hiệu mới với nội dung đúng.",
                    used,
                ),
                field="text",
                code=ErrorCode.SLOGAN_IN_USE,
            )
        _ensure_unique_slogan(slogan.campaign, text, slogan)
    changes = apply_changes(slogan, {"text": text, "note": nfc_stripped(note)})
    if changes:
        flush_unique(_("Khẩu hiệu “%(text)s” đã có trong danh mục của đợt này.", text=text), "text")
        record_event(
            actor, "slogan.updated", slogan, campaign=slogan.campaign.code, changes=changes
        )
    return changes


def set_slogan_active(actor: User, slogan: Slogan, active: bool) -> None:
    """Stop offering a slogan to designers, or offer it again."""
    actions = ("slogan.deactivated", "slogan.activated")
    switch(
        actor, slogan, "is_active", active, actions, campaign=slogan.campaign.code, text=slogan.text
    )


def mark_slogans_official(actor: User, campaign: Campaign) -> int:
    """Record that the campaign's list is the Department's official one (no longer a sample)."""
    samples = [s for s in campaign.slogans if s.is_sample]
    for slogan in samples:
        slogan.is_sample = False
    if samples:
        record_event(
            actor,
            "campaign.slogans_official",
            campaign,
            code=campaign.code,
            slogan_ids=[s.id for s in samples],
            changes={"is_sample": [True, False]},
        )
    return len(samples)
