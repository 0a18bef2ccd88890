"""The daily digest names the recipient's own work that is overdue or due soon, read back from a
real SMTP server: a reviewer's reviews, a designer's answers to requests for changes."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from registry.clock import local_today
from registry.duedates import province_calendar
from registry.extensions import db
from registry.notifications.operations import save_preferences
from registry.submissions.models import Submission
from tests.factories import DEPARTMENT, a_head, use_two_step_signoff
from tests.notifications.conftest import PUBLIC_URL, run_jobs


def _working_days_ago(days: int) -> date:
    """The day `days` working days before today."""
    calendar, day = province_calendar(), local_today()
    while calendar.working_days_between(day, local_today()) < days:
        day -= timedelta(days=1)
    return day


def _due(submission: Submission, day: date) -> None:
    db.session.execute(
        sa.update(Submission).where(Submission.id == submission.id).values(due_on=day)
    )
    db.session.commit()


def _digest(app) -> str:
    result = app.test_cli_runner().invoke(args=["registry", "digest"])
    assert result.exit_code == 0, result.output
    run_jobs(app, "notifications.send_digest")
    return result.output


def test_the_digest_names_each_users_overdue_and_due_soon_work_with_its_link_once_a_day(
    app, ctx, inbox, designer, reviewer, make_user, make_submission, advance
):
    reviewer.email = "thamdinh@angiang.gov.vn"
    designer.email = "thietke@angiang.gov.vn"
    colleague = make_user("reviewer", DEPARTMENT)
    colleague.email = "dongnghiep@angiang.gov.vn"  # no digest chosen: no digest
    db.session.commit()
    late = advance(
        make_submission(designer, title="Pano Lý Thái Tổ"), "in_review", designer, reviewer
    )
    waiting = advance(
        make_submission(designer, title="Băng rôn Tết"), "submitted", designer, reviewer
    )
    others = advance(
        make_submission(designer, title="Pano của đồng nghiệp"), "in_review", designer, colleague
    )
    answer = advance(
        make_submission(designer, title="Khẩu hiệu chờ sửa"),
        "changes_requested",
        designer,
        reviewer,
    )
    later = advance(
        make_submission(designer, title="Pano còn lâu"), "submitted", designer, reviewer
    )
    _due(late, _working_days_ago(3))
    _due(waiting, local_today())
    _due(others, _working_days_ago(5))
    _due(answer, _working_days_ago(1))
    _due(later, province_calendar().add_working_days(local_today(), 4))
    save_preferences(reviewer, reviewer.email, {"submitted": "digest"})
    save_preferences(designer, designer.email, {"decision": "digest"})
    db.session.commit()

    # Nothing waits as a notification: the due work alone makes each digest.
    assert "Đã xếp hàng 2 e-mail tổng hợp (0 thông báo)" in _digest(app)
    assert sorted(m.recipients[0] for m in inbox.messages) == [reviewer.email, designer.email]

    [to_reviewer] = inbox.to(reviewer.email)
    assert to_reviewer.subject == "Tổng hợp thông báo: 1 việc quá hạn, 1 việc sắp đến hạn"
    for part in (to_reviewer.part("plain"), to_reviewer.part("html")):
        assert "Việc của bạn quá hạn hoặc sắp đến hạn" in part
        assert "Pano Lý Thái Tổ" in part and "Quá hạn 3 ngày làm việc" in part
        assert f"{PUBLIC_URL}/reviews/{late.id}" in part
        assert "Băng rôn Tết" in part and "Đến hạn hôm nay" in part
        # A colleague's review, the designer's answer and what is due later are not theirs now.
        assert "Pano của đồng nghiệp" not in part and "Khẩu hiệu chờ sửa" not in part
        assert "Pano còn lâu" not in part
    assert f'href="{PUBLIC_URL}/reviews/{late.id}"' in to_reviewer.part("html")

    [to_designer] = inbox.to(designer.email)
    assert to_designer.subject == "Tổng hợp thông báo: 1 việc quá hạn"
    plain = to_designer.part("plain")
    assert "Trả lời yêu cầu chỉnh sửa: Khẩu hiệu chờ sửa (Quá hạn 1 ngày làm việc)" in plain
    assert f"{PUBLIC_URL}/submissions/{answer.id}" in plain
    assert "Pano Lý Thái Tổ" not in plain

    # The second run the same day sends nothing again.
    assert "Đã xếp hàng 0 e-mail tổng hợp" in _digest(app)
    assert len(inbox.messages) == 2


def test_a_digest_of_notifications_also_names_the_due_work(
    app, ctx, inbox, designer, reviewer, make_submission, advance
):
    reviewer.email = "thamdinh@angiang.gov.vn"
    db.session.commit()
    save_preferences(reviewer, reviewer.email, {"submitted": "digest"})
    db.session.commit()
    late = advance(
        make_submission(designer, title="Pano Lý Thái Tổ"), "submitted", designer, reviewer
    )
    _due(late, _working_days_ago(2))

    assert "Đã xếp hàng 1 e-mail tổng hợp (1 thông báo)" in _digest(app)
    [mail] = inbox.messages
    assert mail.subject == "Tổng hợp thông báo: 1 thông báo mới, 1 việc quá hạn"
    plain = mail.part("plain")
    assert "Thẩm định: Pano Lý Thái Tổ (Quá hạn 2 ngày làm việc)" in plain
    assert "Hồ sơ mới chờ thẩm định" in plain


def test_a_head_hears_of_what_has_awaited_signature_too_long(
    app, ctx, inbox, designer, reviewer, make_submission, advance
):
    use_two_step_signoff()
    head = a_head("lanhdao.digest")
    head.email = "lanhdao@angiang.gov.vn"
    db.session.commit()
    waiting = advance(
        make_submission(designer, title="Pano chờ ký"), "awaiting_signoff", designer, reviewer, head
    )
    _due(waiting, _working_days_ago(2))
    save_preferences(head, head.email, {"signoff": "digest"})
    db.session.commit()

    _digest(app)
    [mail] = inbox.to(head.email)
    plain = mail.part("plain")
    assert "Ký duyệt: Pano chờ ký (Quá hạn 2 ngày làm việc)" in plain
    assert f"{PUBLIC_URL}/reviews/{waiting.id}" in plain
