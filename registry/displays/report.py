"""The periodic coverage report of a campaign over a date range: per unit and format, how many
displays were approved, installed, removed, overdue and inspected in bad condition.

Every measure is one grouped statement (unit × format), so the work does not grow in
statements with the data; the display sheet is one more statement, written row by row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from registry.auth.models import User
from registry.clock import local_today
from registry.displays.lifecycle import state_expression
from registry.displays.models import BAD_CONDITIONS, DISPLAY_STATES, Display, DisplayRecord
from registry.displays.queries import DisplayFilters, display_select
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.permissions import scope_to_user
from registry.submissions.models import FORMATS, Placement, Submission
from registry.units.models import Unit

MEASURES = {
    "approved": "Được duyệt",
    "installed": "Đã lắp đặt",
    "removed": "Đã tháo dỡ",
    "overdue": "Quá hạn chưa tháo",
    "inspected_bad": "Kiểm tra: hư hỏng/sai",
}
REPORT_FORMATS = ("pano", "phuon", "bang_ron")
MAX_RANGE_DAYS = 3660


@dataclass
class ReportRow:
    unit_code: str
    unit_name: str
    counts: dict[str, dict[str, int]]  # measure -> format (and "total") -> count

    def as_dict(self) -> dict:
        return {"unit_code": self.unit_code, "unit_name": self.unit_name, **self.counts}


def _empty() -> dict[str, dict[str, int]]:
    return {m: dict.fromkeys((*REPORT_FORMATS, "total"), 0) for m in MEASURES}


def _utc_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = ZoneInfo(current_app.config["REGISTRY_TIMEZONE"])
    low = datetime.combine(start, time.min, tzinfo=zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC)
    return low, high


def coverage_rows(
    user: User, campaign_id: int, start: date, end: date
) -> tuple[list[ReportRow], ReportRow]:
    """One row per unit the user follows, and the totals row."""
    low, high = _utc_bounds(start, end)
    base = DisplayFilters(campaign_id=campaign_id)
    unit_format = (Placement.unit_id, Submission.format)

    def when(*conditions):
        return sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0))

    # One pass over the campaign's displays counts four measures at once (a display row is one
    # per placement, so no DISTINCT is needed); inspections are a second, smaller pass.
    measures = {
        "approved": when(Placement.display_from <= end, Placement.display_to >= start),
        "installed": when(Display.installed_at >= low, Display.installed_at < high),
        "removed": when(Display.removed_at >= low, Display.removed_at < high),
        # Still standing at the end of the range (or today, if that is sooner), its period over.
        "overdue": when(
            Display.installed_at < high,
            Placement.display_to < min(end, local_today()),
            sa.or_(Display.removed_at.is_(None), Display.removed_at >= high),
        ),
    }
    one_pass = display_select(user, end, base, *unit_format, *measures.values()).group_by(
        *unit_format
    )
    inspected = (
        display_select(user, end, base, *unit_format, sa.func.count(sa.distinct(Display.id)))
        .join(DisplayRecord, DisplayRecord.display_id == Display.id)
        .where(
            DisplayRecord.kind == "inspection",
            DisplayRecord.condition.in_(BAD_CONDITIONS),
            DisplayRecord.created_at >= low,
            DisplayRecord.created_at < high,
        )
        .group_by(*unit_format)
    )
    counted = [
        (measure, unit_id, fmt, count or 0)
        for unit_id, fmt, *counts in db.session.execute(one_pass)
        for measure, count in zip(measures, counts, strict=True)
    ]
    counted += [("inspected_bad", *row) for row in db.session.execute(inspected)]
    units = db.session.execute(
        scope_to_user(
            sa.select(Unit.id, Unit.code, Unit.name).where(
                Unit.kind != "department", Unit.is_active
            ),
            user,
            Unit.id,
        ).order_by(Unit.name)
    ).all()
    rows = {u.id: ReportRow(u.code, u.name, _empty()) for u in units}
    totals = ReportRow("", "Tổng cộng", _empty())
    for measure, unit_id, fmt, count in counted:
        row = rows.get(unit_id)
        if row is None:
            continue  # a placement in a department unit or an inactive one
        for target in (row, totals):
            if fmt in REPORT_FORMATS:
                target.counts[measure][fmt] += count
            target.counts[measure]["total"] += count
    return list(rows.values()), totals


def display_rows(user: User, campaign_id: int, start: date, end: date) -> Iterator[tuple]:
    """Every display of the campaign whose period overlaps the range, for the second sheet."""
    stmt = (
        display_select(
            user,
            end,
            DisplayFilters(campaign_id=campaign_id),
            Unit.code,
            Unit.name,
            Submission.format,
            Placement.address,
            Placement.lat,
            Placement.lon,
            Placement.quantity,
            Placement.display_from,
            Placement.display_to,
            state_expression(min(end, local_today())).label("state"),
            Display.condition,
            ApprovedAsset.code,
        )
        .join(Unit, Placement.unit_id == Unit.id)
        .outerjoin(ApprovedAsset, ApprovedAsset.submission_id == Submission.id)
        .where(Placement.display_from <= end, Placement.display_to >= start)
        .order_by(Unit.name, Placement.id)
        .execution_options(yield_per=2000)
    )
    for r in db.session.execute(stmt):
        yield (
            r[0],
            r[1],
            str(FORMATS[r[2]]),  # a lazy label: the spreadsheet takes plain text
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            DISPLAY_STATES[r[9]],
            r[10] or "",
            r[11] or "",
        )
