"""Due dates in working days: when a review is due, and when a designer should answer a request
for changes; the province's calendar; and the overdue and due-soon queries other code (the queue,
the home page, a daily digest) calls.

A submission's due date is a function of when it entered its state (submitted or resubmitted:
`submitted_at`; changes requested: `decided_at`), its campaign's working days and the calendar.
It is stored in `submissions.due_on` so that lists sort and filter by it in SQL, and refreshed
here whenever one of those inputs changes (a workflow step, a campaign's days, a day off).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import orm as so

from registry.audit import record_event
from registry.auth.models import User
from registry.campaigns.models import CALENDAR_DAY_KINDS, CalendarDay, Campaign
from registry.clock import local_date, local_today
from registry.exceptions import Conflict
from registry.extensions import db
from registry.i18n import day as written_day
from registry.permissions import visible_submissions
from registry.submissions.models import Submission
from registry.workdays import WorkCalendar, national_holiday_name

# States whose due date is the review's, and the state whose due date is the designer's answer.
REVIEW_STATUSES = ("submitted", "in_review", "awaiting_signoff")
ANSWER_STATUSES = ("changes_requested",)
DUE_STATUSES = REVIEW_STATUSES + ANSWER_STATUSES
# "Due soon": due within this many working days, today counting as the first (2: due today or
# on the next working day).
DUE_SOON_WORKING_DAYS = 2


def province_calendar() -> WorkCalendar:
    """The working calendar with the province's days, read once per request."""
    if has_app_context() and "work_calendar" in g:
        return g.work_calendar
    rows = db.session.execute(sa.select(CalendarDay.day, CalendarDay.kind)).all()
    calendar = WorkCalendar.of(
        (day for day, kind in rows if kind == "off"),
        (day for day, kind in rows if kind == "work"),
    )
    if has_app_context():
        g.work_calendar = calendar
    return calendar


def _forget_calendar() -> None:
    if has_app_context():
        g.pop("work_calendar", None)


def due_date_for(submission: Submission, calendar: WorkCalendar | None = None) -> date | None:
    """The day the submission's current step is due, or None when nothing is due."""
    calendar = calendar or province_calendar()
    campaign = submission.campaign
    if submission.status in REVIEW_STATUSES and submission.submitted_at is not None:
        return calendar.add_working_days(local_date(submission.submitted_at), campaign.review_days)
    if submission.status in ANSWER_STATUSES and submission.decided_at is not None:
        return calendar.add_working_days(local_date(submission.decided_at), campaign.answer_days)
    return None


def refresh_due_date(submission: Submission) -> None:
    """Set the submission's due date after a workflow step (called by registry.workflow)."""
    submission.due_on = due_date_for(submission)


def refresh_open_due_dates(campaign: Campaign | None = None) -> int:
    """Recompute the due dates of every open submission (of one campaign, if given) after the
    calendar or a campaign's days changed; return how many changed."""
    calendar = province_calendar()
    stmt = (
        sa.select(Submission)
        .where(Submission.status.in_(DUE_STATUSES))
        .options(so.joinedload(Submission.campaign))
    )
    if campaign is not None:
        stmt = stmt.where(Submission.campaign_id == campaign.id)
    changed = 0
    for submission in db.session.scalars(stmt):
        due = due_date_for(submission, calendar)
        if submission.due_on != due:
            # A plain UPDATE: a due date is no edit of the submission (no lock version bump,
            # so a form a designer has open stays current).
            db.session.execute(
                sa.update(Submission)
                .where(Submission.id == submission.id)
                .values(due_on=due)
                .execution_options(synchronize_session=False)
            )
            so.attributes.set_committed_value(submission, "due_on", due)
            changed += 1
    return changed


# How a due date reads.


@dataclass(frozen=True)
class DueState:
    kind: str  # "overdue", "today", "soon" or "later"
    working_days: int  # overdue by, or left
    label: str

    @property
    def is_overdue(self) -> bool:
        return self.kind == "overdue"


def due_state(
    due_on: date | None, today: date | None = None, calendar: WorkCalendar | None = None
) -> DueState | None:
    """How the due date stands today, in the reader's language: "Quá hạn 2 ngày làm việc",
    "Còn 3 ngày làm việc" ("Overdue by 2 working days", "Due in 3 working days")."""
    if due_on is None:
        return None
    today = today or local_today()
    calendar = calendar or province_calendar()
    if due_on < today:
        late = calendar.working_days_between(due_on, today)
        if late:
            label = ngettext("Quá hạn %(num)d ngày làm việc", "Quá hạn %(num)d ngày làm việc", late)
        else:
            label = _("Đã quá hạn")
        return DueState("overdue", late, label)
    if due_on == today:
        return DueState("today", 0, _("Đến hạn hôm nay"))
    left = calendar.working_days_between(today, due_on)
    kind = "soon" if left < DUE_SOON_WORKING_DAYS else "later"
    label = ngettext("Còn %(num)d ngày làm việc", "Còn %(num)d ngày làm việc", left)
    return DueState(kind, left, label)


# Queries for the queue, the home page and the daily digest.


def deadline_submissions(
    kind: str,
    *,
    user: User | None = None,
    stage: str | None = None,
    today: date | None = None,
) -> sa.Select:
    """Submissions whose step is overdue (kind="overdue": due before today) or due soon
    (kind="due_soon": due within DUE_SOON_WORKING_DAYS working days, today the first), the earliest
    due first. stage "review" keeps those waiting for review, "answer" those waiting for the
    designer; user restricts to what that user may see (their unit unless their role sees all).
    """
    today = today or local_today()
    statuses = {"review": REVIEW_STATUSES, "answer": ANSWER_STATUSES}.get(stage, DUE_STATUSES)
    stmt = visible_submissions(user) if user is not None else sa.select(Submission)
    stmt = stmt.where(Submission.status.in_(statuses), Submission.due_on.is_not(None))
    if kind == "overdue":
        stmt = stmt.where(Submission.due_on < today)
    elif kind == "due_soon":
        horizon = province_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS - 1)
        stmt = stmt.where(Submission.due_on >= today, Submission.due_on <= max(horizon, today))
    else:
        raise ValueError(f"unknown deadline kind {kind!r}")
    return stmt.order_by(Submission.due_on.asc(), Submission.id.asc())


# The province's calendar, kept by the admin.


def _refusal_for(day: date, kind: str, calendar: WorkCalendar) -> str | None:
    holiday = national_holiday_name(day)
    if kind == "off" and (day.weekday() >= 5 or holiday):
        return _("Ngày này vốn đã là ngày nghỉ (cuối tuần hoặc ngày lễ).")
    if kind == "work" and day.weekday() < 5 and not holiday:
        return _("Ngày này vốn đã là ngày làm việc; ngày làm bù là ngày cuối tuần hoặc ngày lễ.")
    return None


def add_calendar_day(actor: User, day: date, kind: str, note: str = "") -> CalendarDay:
    """Record a province day off or make-up working day, and move open due dates to suit."""
    if kind not in CALENDAR_DAY_KINDS:
        raise Conflict(_("Loại ngày không hợp lệ."), field="kind")
    if db.session.scalar(sa.select(CalendarDay.id).where(CalendarDay.day == day)) is not None:
        raise Conflict(_("Ngày %(day)s đã có trong lịch.", day=written_day(day)), field="day")
    refusal = _refusal_for(day, kind, province_calendar())
    if refusal:
        raise Conflict(refusal, field="day")
    row = CalendarDay(day=day, kind=kind, note=" ".join(note.split()))
    db.session.add(row)
    db.session.flush()
    _record(actor, "calendar.day_added", row)
    _forget_calendar()
    refresh_open_due_dates()
    return row


def _record(actor: User, action: str, row: CalendarDay) -> None:
    kind = CALENDAR_DAY_KINDS[row.kind].lower()
    record_event(actor, action, row, day=f"{row.day:%d/%m/%Y}", kind=kind, note=row.note)


def remove_calendar_day(actor: User, row: CalendarDay) -> None:
    """Take a day out of the province's calendar, and move open due dates to suit."""
    _record(actor, "calendar.day_removed", row)
    db.session.delete(row)
    db.session.flush()
    _forget_calendar()
    refresh_open_due_dates()
