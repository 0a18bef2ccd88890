"""Due dates of submissions: set by the workflow, recomputed when a campaign's days or the
province's calendar change, shown and sorted in the queue, and queried for overdue items."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.campaigns.models import CalendarDay
from registry.clock import local_today
from registry.duedates import (
    deadline_submissions,
    due_date_for,
    due_state,
    province_calendar,
    refresh_open_due_dates,
)
from registry.extensions import db
from registry.submissions.models import Submission
from registry.workdays import WorkCalendar
from tests.admin.helpers import events, text
from tests.conftest import csrf_token
from tests.factories import UNIT_B, campaign

# Wednesday 3 February 2027, 10:00 in An Giang: the day before Tết closes the offices.
BEFORE_TET = datetime(2027, 2, 3, 3, 0, tzinfo=UTC)


def _submitted(make_submission, advance, designer, reviewer, **kwargs) -> Submission:
    return advance(make_submission(designer, **kwargs), "submitted", designer, reviewer)


def _set(submission: Submission, **values) -> None:
    db.session.execute(sa.update(Submission).where(Submission.id == submission.id).values(**values))
    db.session.commit()
    db.session.refresh(submission)


def test_submitting_sets_a_review_due_date_five_working_days_ahead(
    designer, reviewer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    assert submission.due_on is not None
    assert province_calendar().working_days_between(local_today(), submission.due_on) == 5


def test_a_request_for_changes_sets_the_designers_answer_by_date_and_approval_clears_it(
    designer, reviewer, make_submission, advance
):
    asked = advance(make_submission(designer), "changes_requested", designer, reviewer)
    assert province_calendar().working_days_between(local_today(), asked.due_on) == 10
    approved = advance(make_submission(designer, title="Khác"), "approved", designer, reviewer)
    assert approved.due_on is None


def test_a_submission_made_before_tet_is_due_after_it(designer, reviewer, make_submission, advance):
    submission = _submitted(make_submission, advance, designer, reviewer)
    _set(submission, submitted_at=BEFORE_TET)
    assert due_date_for(submission) == date(2027, 2, 17)
    assert due_date_for(submission, WorkCalendar.of(days_off=[date(2027, 2, 12)])) == date(
        2027, 2, 18
    )


def test_changing_a_campaigns_review_days_moves_open_due_dates(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    _set(submission, submitted_at=BEFORE_TET, due_on=date(2027, 2, 17))
    lock_version = submission.lock_version
    admin = make_user("admin", "SVHTT-VP")
    login(admin)
    c = campaign()
    page = f"/admin/campaigns/{c.id}"
    data = {
        "title": c.title,
        "legal_basis": c.legal_basis,
        "description": c.description,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat() if c.ends_on else "",
        "review_days": "7",
        "answer_days": "15",
        "csrf_token": csrf_token(client, page),
    }
    assert client.post(page, data=data).status_code == 303
    db.session.refresh(submission)
    db.session.refresh(c)
    assert (c.review_days, c.answer_days) == (7, 15)
    assert submission.due_on == date(2027, 2, 19)  # two working days later
    assert submission.lock_version == lock_version  # an open edit form stays current
    [event] = events("campaign.updated")
    assert event.data["changes"]["review_days"] == [5, 7]
    audit = text(client.get("/admin/audit"))
    assert "Thời hạn thẩm định (ngày làm việc)" in audit


@pytest.mark.parametrize("value", ["0", "61", "năm"])
def test_a_campaign_form_refuses_review_days_out_of_range(client, login, make_user, value):
    login(make_user("admin", "SVHTT-VP"))
    c = campaign()
    page = f"/admin/campaigns/{c.id}"
    data = {
        "title": c.title,
        "starts_on": c.starts_on.isoformat(),
        "review_days": value,
        "csrf_token": csrf_token(client, page),
    }
    response = client.post(page, data=data)
    assert response.status_code == 400
    db.session.refresh(c)
    assert c.review_days == 5


def test_the_admin_adds_a_province_day_off_and_open_due_dates_move(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    _set(submission, submitted_at=BEFORE_TET, due_on=date(2027, 2, 17))
    login(make_user("admin", "SVHTT-VP"))
    token = csrf_token(client, "/admin/calendar")
    form = {"day": "2027-02-12", "kind": "off", "note": "Nghỉ bù Tết", "csrf_token": token}
    assert client.post("/admin/calendar", data=form).status_code == 303
    db.session.refresh(submission)
    assert submission.due_on == date(2027, 2, 18)
    html = text(client.get("/admin/calendar"))
    assert "12/02/2027" in html and "Nghỉ bù Tết" in html and "Tết Nguyên Đán" in html
    audit = text(client.get("/admin/audit"))
    assert "đã thêm vào lịch làm việc của tỉnh ngày 12/02/2027 (ngày nghỉ thêm)" in audit
    # The same day again, or a Saturday as a day off: a clear refusal, nothing written.
    again = client.post("/admin/calendar", data=form)
    assert again.status_code == 409 and "đã có trong lịch" in text(again)
    saturday = client.post("/admin/calendar", data={**form, "day": "2027-02-13"})
    assert saturday.status_code == 409 and "vốn đã là ngày nghỉ" in text(saturday)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarDay)) == 1
    # Taking the day back out restores the due date.
    row = db.session.scalar(sa.select(CalendarDay))
    token = csrf_token(client, "/admin/calendar")
    response = client.post(f"/admin/calendar/{row.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.refresh(submission)
    assert submission.due_on == date(2027, 2, 17)
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "calendar.day_removed")
    )


def test_a_make_up_saturday_counts_for_due_dates(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    _set(submission, submitted_at=BEFORE_TET)
    login(make_user("admin", "SVHTT-VP"))
    token = csrf_token(client, "/admin/calendar")
    form = {"day": "2027-02-13", "kind": "work", "note": "Làm bù", "csrf_token": token}
    assert client.post("/admin/calendar", data=form).status_code == 303
    db.session.refresh(submission)
    assert submission.due_on == date(2027, 2, 16)
    monday = client.post("/admin/calendar", data={**form, "day": "2027-02-15"})
    assert monday.status_code == 409 and "vốn đã là ngày làm việc" in text(monday)


def test_due_state_reads_overdue_today_and_left_in_working_days():
    plain = WorkCalendar()
    late = due_state(date(2027, 2, 3), today=date(2027, 2, 12), calendar=plain)
    assert late.is_overdue and late.label == "Quá hạn 2 ngày làm việc"  # 11 and 12 Feb
    weekend = due_state(date(2026, 12, 4), today=date(2026, 12, 5), calendar=plain)
    assert weekend.is_overdue and weekend.label == "Đã quá hạn"
    assert due_state(date(2027, 2, 3), today=date(2027, 2, 3), calendar=plain).kind == "today"
    left = due_state(date(2027, 2, 17), today=date(2027, 2, 3), calendar=plain)
    assert left.label == "Còn 5 ngày làm việc" and not left.is_overdue
    assert due_state(None) is None


def test_the_queue_sorts_by_due_date_and_marks_overdue_items_in_words(
    client, login, designer, reviewer, make_submission, advance
):
    later = _submitted(make_submission, advance, designer, reviewer, title="Gửi trước, hạn sau")
    sooner = _submitted(make_submission, advance, designer, reviewer, title="Gửi sau, quá hạn")
    today = local_today()
    _set(later, due_on=today + timedelta(days=30))
    _set(sooner, due_on=today - timedelta(days=14))
    login(reviewer)
    html = text(client.get("/reviews/"))
    assert html.index("Gửi sau, quá hạn") < html.index("Gửi trước, hạn sau")
    assert 'class="overdue-row"' in html and "⚠" in html
    assert "Quá hạn " in html and "ngày làm việc" in html and "Còn " in html


def test_overdue_and_due_soon_queries_find_the_right_items_and_respect_units(
    make_user, designer, reviewer, make_submission, advance
):
    today = local_today()
    late = _submitted(make_submission, advance, designer, reviewer, title="Quá hạn")
    soon = _submitted(make_submission, advance, designer, reviewer, title="Sắp đến hạn")
    far = _submitted(make_submission, advance, designer, reviewer, title="Còn lâu")
    other = make_user("designer", UNIT_B)
    elsewhere = _submitted(make_submission, advance, other, reviewer, title="Đơn vị khác")
    _set(late, due_on=today - timedelta(days=3))
    _set(soon, due_on=today)
    _set(far, due_on=today + timedelta(days=40))
    _set(elsewhere, due_on=today - timedelta(days=1))

    def titles(kind, **kwargs):
        return [s.title for s in db.session.scalars(deadline_submissions(kind, **kwargs))]

    assert titles("overdue") == ["Quá hạn", "Đơn vị khác"]
    assert titles("due_soon") == ["Sắp đến hạn"]
    assert titles("overdue", user=designer) == ["Quá hạn"]  # only the designer's unit
    assert titles("overdue", user=reviewer) == ["Quá hạn", "Đơn vị khác"]
    assert titles("overdue", stage="answer") == []


def test_recomputing_open_due_dates_leaves_closed_submissions_alone(
    designer, reviewer, make_submission, advance
):
    approved = advance(make_submission(designer), "approved", designer, reviewer)
    waiting = _submitted(make_submission, advance, designer, reviewer, title="Đang chờ")
    _set(waiting, submitted_at=BEFORE_TET, due_on=None)
    assert refresh_open_due_dates() == 1
    db.session.refresh(waiting)
    db.session.refresh(approved)
    assert waiting.due_on == date(2027, 2, 17) and approved.due_on is None
