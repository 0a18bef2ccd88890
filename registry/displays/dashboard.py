"""The dashboard's figures for one campaign, each from one bounded statement.

The number of statements does not grow with the data: coverage is one row per unit (102),
displays one grouped count, review turnaround a histogram of hours, the queue one aggregate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from registry.auth.models import User
from registry.db import utcnow
from registry.displays.lifecycle import state_expression
from registry.displays.models import DISPLAY_STATES, Display
from registry.displays.queries import DisplayFilters, display_select
from registry.extensions import db
from registry.permissions import scope_to_user
from registry.submissions.models import FORMATS, Placement, Submission
from registry.units.models import Unit

DECIDED = ("approved", "rejected", "changes_requested", "revoked")


@dataclass
class UnitCoverage:
    code: str
    name: str
    has_approved: bool
    has_installed: bool


@dataclass
class Dashboard:
    campaign_id: int
    units: list[UnitCoverage]
    by_format: dict[str, dict[str, int]]  # format -> state -> count
    bad_condition: int
    turnaround_median_days: float | None
    turnaround_p90_days: float | None
    decided_count: int
    queue_count: int
    queue_oldest_days: float | None
    states: dict[str, int] = field(default_factory=dict)

    @property
    def units_with_approved(self) -> int:
        return sum(u.has_approved for u in self.units)

    @property
    def units_with_installed(self) -> int:
        return sum(u.has_installed for u in self.units)

    @property
    def units_without(self) -> list[UnitCoverage]:
        return [u for u in self.units if not u.has_approved and not u.has_installed]

    @property
    def units_not_installed(self) -> list[UnitCoverage]:
        return [u for u in self.units if u.has_approved and not u.has_installed]

    @property
    def total(self) -> int:
        return sum(self.states.values())


def build_dashboard(user: User, campaign_id: int, day: date) -> Dashboard:
    """Every figure of the dashboard for the campaign, within what the user may see."""
    by_format, states = _displays_by_format(user, campaign_id, day)
    median, p90, decided = _turnaround(user, campaign_id)
    queue_count, oldest = _queue(user, campaign_id)
    return Dashboard(
        campaign_id=campaign_id,
        units=_coverage(user, campaign_id),
        by_format=by_format,
        states=states,
        bad_condition=_bad_condition(user, campaign_id, day),
        turnaround_median_days=median,
        turnaround_p90_days=p90,
        decided_count=decided,
        queue_count=queue_count,
        queue_oldest_days=oldest,
    )


def _coverage(user: User, campaign_id: int) -> list[UnitCoverage]:
    approved = (
        sa.select(Placement.id)
        .join(Submission, Placement.submission_id == Submission.id)
        .where(
            Placement.unit_id == Unit.id,
            Submission.campaign_id == campaign_id,
            Submission.status == "approved",
        )
        .exists()
    )
    installed = (
        sa.select(Display.id)
        .where(Display.unit_id == Unit.id, Display.campaign_id == campaign_id)
        .exists()
    )
    stmt = sa.select(Unit.code, Unit.name, approved, installed).where(
        Unit.kind != "department", Unit.is_active
    )
    stmt = scope_to_user(stmt, user, Unit.id).order_by(Unit.name)
    return [UnitCoverage(*row) for row in db.session.execute(stmt)]


def _displays_by_format(user: User, campaign_id: int, day: date):
    state = state_expression(day).label("state")
    stmt = display_select(
        user,
        day,
        DisplayFilters(campaign_id=campaign_id),
        Submission.format,
        state,
        sa.func.count(),
    ).group_by(Submission.format, state)
    by_format = {f: dict.fromkeys(DISPLAY_STATES, 0) for f in FORMATS}
    states = dict.fromkeys(DISPLAY_STATES, 0)
    for fmt, st, count in db.session.execute(stmt):
        by_format[fmt][st] += count
        states[st] += count
    return {f: c for f, c in by_format.items() if sum(c.values())}, states


def _bad_condition(user: User, campaign_id: int, day: date) -> int:
    stmt = display_select(
        user, day, DisplayFilters(campaign_id=campaign_id, bad=True), sa.func.count()
    )
    return db.session.scalar(stmt) or 0


def _hours(later, earlier):
    if db.engine.dialect.name == "postgresql":
        return sa.func.extract("epoch", later - earlier) / 3600
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 24


def _turnaround(user: User, campaign_id: int):
    """Median and 90th percentile of days from submission to decision, from an hour histogram."""
    hours = sa.func.floor(_hours(Submission.decided_at, Submission.submitted_at))
    if db.engine.dialect.name == "sqlite":  # SQLite has no floor() before 3.35's math functions
        hours = sa.cast(_hours(Submission.decided_at, Submission.submitted_at), sa.Integer)
    bucket = hours.label("bucket")
    stmt = sa.select(bucket, sa.func.count()).where(
        Submission.campaign_id == campaign_id,
        Submission.status.in_(DECIDED),
        Submission.decided_at.is_not(None),
        Submission.submitted_at.is_not(None),
    )
    stmt = scope_to_user(stmt, user, Submission.unit_id).group_by(bucket).order_by(bucket)
    histogram = [(int(b), n) for b, n in db.session.execute(stmt)]
    total = sum(n for _, n in histogram)
    if not total:
        return None, None, 0
    return _percentile(histogram, total, 0.5), _percentile(histogram, total, 0.9), total


def _percentile(histogram: list[tuple[int, int]], total: int, q: float) -> float:
    """The q-quantile (nearest rank) of the histogram, in days, to a tenth."""
    rank = max(1, math.ceil(q * total))
    seen = 0
    for hours, count in histogram:
        seen += count
        if seen >= rank:
            return round((hours + 0.5) / 24, 1)
    return round((histogram[-1][0] + 0.5) / 24, 1)


def _queue(user: User, campaign_id: int):
    stmt = sa.select(sa.func.count(), sa.func.min(Submission.submitted_at)).where(
        Submission.campaign_id == campaign_id, Submission.status.in_(("submitted", "in_review"))
    )
    count, oldest = db.session.execute(scope_to_user(stmt, user, Submission.unit_id)).one()
    if oldest is None:
        return count, None
    if oldest.tzinfo is None:  # SQLite's aggregate bypasses the column's type
        from datetime import UTC, datetime

        oldest = datetime.fromisoformat(str(oldest)).replace(tzinfo=UTC)
    return count, round((utcnow() - oldest).total_seconds() / 86400, 1)
