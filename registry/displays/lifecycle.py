"""The life of a display: its states, the actions that change them, guards and audit events.

This is the only module that assigns ``Display.state``. A placement of an approved submission
is a display in state ``approved`` until its installation is recorded; ``installed`` becomes
``overdue`` once the display period has ended without a removal; ``removed`` is final.
Inspections change no state but record the condition. Operations call ``check_action`` before
they store anything, then ``apply_action``, which writes the record, the audit event and
flushes (the request commits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from registry.audit import record_event
from registry.auth.models import User
from registry.db import utcnow
from registry.displays.models import CONDITIONS, Display, DisplayPhoto, DisplayRecord
from registry.error_codes import ErrorCode
from registry.exceptions import Conflict, InvalidInput, NotAllowed
from registry.extensions import db
from registry.permissions import can_record_display
from registry.submissions.models import Placement


@dataclass(frozen=True)
class Action:
    sources: tuple[str, ...]
    target: str | None  # None: the state stays
    record_kind: str
    label: str
    needs_photo: bool


ACTIONS: dict[str, Action] = {
    "install": Action(("approved",), "installed", "installation", _l("Ghi nhận lắp đặt"), True),
    "remove": Action(("installed", "overdue"), "removed", "removal", _l("Ghi nhận tháo dỡ"), True),
    "inspect": Action(("installed", "overdue"), None, "inspection", _l("Ghi nhận kiểm tra"), False),
}

_NOT_APPROVED = _l(
    "Vị trí này thuộc hồ sơ chưa được duyệt (hoặc đã bị thu hồi) nên chưa thể ghi nhận lắp đặt."
)
_REFUSALS = {
    ("install", "installed"): _l("Vị trí này đã được ghi nhận lắp đặt rồi."),
    ("install", "overdue"): _l("Vị trí này đã được ghi nhận lắp đặt rồi."),
    ("install", "removed"): _l("Vị trí này đã tháo dỡ; không ghi nhận lắp đặt lại được."),
    ("remove", "approved"): _l("Chưa ghi nhận lắp đặt nên chưa thể ghi nhận tháo dỡ."),
    ("remove", "removed"): _l("Vị trí này đã được ghi nhận tháo dỡ rồi."),
    ("inspect", "approved"): _l("Chưa ghi nhận lắp đặt nên chưa có gì để kiểm tra."),
    ("inspect", "removed"): _l("Vị trí này đã tháo dỡ; không còn gì để kiểm tra."),
}


def display_of(placement: Placement) -> Display | None:
    """The placement's display row, if anything was recorded on site."""
    return db.session.scalar(sa.select(Display).where(Display.placement_id == placement.id))


def state_of(placement: Placement, display: Display | None, day: date) -> str:
    """The display's state on the given day (approved, installed, overdue or removed)."""
    if display is None:
        return "approved"
    if display.state == "installed" and placement.display_to < day:
        return "overdue"
    return display.state


def state_expression(day: date):
    """The same rule as state_of, in SQL, over placements outer-joined to displays."""
    return sa.case(
        (Display.state == "removed", "removed"),
        (sa.and_(Display.state == "installed", Placement.display_to < day), "overdue"),
        (Display.state == "installed", "installed"),
        else_="approved",
    )


def state_filter(state: str, day: date):
    """A WHERE clause for one state, written so that indexes on displays.state serve it."""
    if state == "approved":
        return Display.id.is_(None)
    if state == "removed":
        return Display.state == "removed"
    if state == "overdue":
        return sa.and_(Display.state == "installed", Placement.display_to < day)
    return sa.and_(Display.state == "installed", Placement.display_to >= day)


def available_actions(user: User, placement: Placement, display: Display | None, day: date):
    """The actions the user may take on the display now."""
    if not can_record_display(user, placement):
        return []
    state = state_of(placement, display, day)
    actions = [name for name, a in ACTIONS.items() if state in a.sources]
    if "install" in actions and placement.submission.status != "approved":
        actions.remove("install")
    return actions


def check_action(
    user: User,
    placement: Placement,
    action: str,
    day: date,
    *,
    photo_count: int,
    condition: str | None = None,
) -> Display | None:
    """Raise a UserFacingError saying why the action cannot be taken; return the display row."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Conflict(
            _("Thao tác “%(action)s” không tồn tại.", action=action),
            code=ErrorCode.UNKNOWN_ACTION,
        )
    if not can_record_display(user, placement):
        raise NotAllowed(
            _("Chỉ cán bộ của đơn vị có vị trí này hoặc Sở mới được ghi nhận."),
            code=ErrorCode.FORBIDDEN,
        )
    display = display_of(placement)
    state = state_of(placement, display, day)
    if state not in spec.sources:
        raise Conflict(str(_REFUSALS[(action, state)]), code=ErrorCode.INVALID_STATE)
    if action == "install" and placement.submission.status != "approved":
        raise Conflict(str(_NOT_APPROVED), code=ErrorCode.NOT_APPROVED)
    if spec.needs_photo and photo_count == 0:
        raise InvalidInput(
            _("Vui lòng chụp hoặc chọn ảnh hiện trường làm minh chứng."),
            code=ErrorCode.PHOTO_REQUIRED,
            field="photo",
        )
    if action == "inspect" and condition not in CONDITIONS:
        raise InvalidInput(_("Vui lòng chọn tình trạng khi kiểm tra."), field="condition")
    return display


def apply_action(
    user: User,
    placement: Placement,
    action: str,
    day: date,
    *,
    photos: list[DisplayPhoto] = (),
    note: str = "",
    condition: str | None = None,
) -> DisplayRecord:
    """Take the action: the state change, the record with its photos, and the audit event."""
    display = check_action(
        user, placement, action, day, photo_count=len(photos), condition=condition
    )
    spec = ACTIONS[action]
    source = state_of(placement, display, day)
    now = utcnow()
    if display is None:
        display = Display(
            placement=placement,
            unit_id=placement.unit_id,
            campaign_id=placement.submission.campaign_id,
            state="installed",
        )
        db.session.add(display)
        try:
            db.session.flush()
        except sa.exc.IntegrityError as error:  # another request recorded it a moment ago
            raise Conflict(
                str(_REFUSALS[("install", "installed")]), code=ErrorCode.STALE
            ) from error
    if action == "install":
        display.state, display.installed_at = "installed", now
    elif action == "remove":
        display.state, display.removed_at = "removed", now
    else:
        display.condition, display.condition_at = condition, now
    record = DisplayRecord(
        display=display,
        kind=spec.record_kind,
        condition=condition if action == "inspect" else None,
        note=note.strip(),
        recorded_by_id=user.id,
        created_at=now,
    )
    db.session.add(record)
    for photo in photos:
        photo.record = record
        db.session.add(photo)
    record_event(
        user,
        f"display.{action}",
        display,
        submission=placement.submission,
        unit_id=placement.unit_id,
        placement_id=placement.id,
        source=source,
        target=spec.target or source,
        condition=condition,
        photos=[p.sha256 for p in photos],
        gps_checks=[p.gps_check for p in photos],
    )
    db.session.flush()
    return record
