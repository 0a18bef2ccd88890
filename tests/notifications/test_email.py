"""Notification e-mail goes to a real SMTP server (aiosmtpd, started by the test) and is read
back: who got it, its Vietnamese subject and body in both parts, and the link to the registry."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from huey.exceptions import RetryTask

from registry.extensions import db
from registry.notifications.models import Notification
from registry.notifications.operations import save_preferences
from registry.reviews.operations import add_annotation
from registry.submissions.models import Submission
from registry.tasks.queue import run_job
from registry.workflow import apply_transition
from tests.factories import DEPARTMENT, answer_all, fail_one
from tests.notifications.conftest import PUBLIC_URL, email_jobs, run_jobs


def _with_email(user, address=None):
    user.email = address or f"{user.username}@angiang.gov.vn"
    db.session.commit()
    return user


def _in_review(designer, reviewer, make_submission) -> Submission:
    submission = make_submission(designer)
    apply_transition(designer, submission, "submit")
    apply_transition(reviewer, submission, "claim")
    db.session.commit()
    return submission


def _notifications(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def test_a_request_for_changes_reaches_the_designer_by_email_with_failed_items_pins_and_link(
    app, ctx, inbox, designer, reviewer, make_submission
):
    _with_email(designer, "thietke.longxuyen@angiang.gov.vn")
    submission = _in_review(designer, reviewer, make_submission)
    add_annotation(reviewer, submission.latest_version, 0.4, 0.3, "Ngôi sao lệch tâm")
    fail_one(reviewer, submission, "CT-11", "Sai năm ban hành nghị quyết.")
    apply_transition(reviewer, submission, "request_changes", comment="Sửa lại khẩu hiệu.")
    db.session.commit()

    run_jobs(app)
    [mail] = inbox.to("thietke.longxuyen@angiang.gov.vn")
    assert mail.recipients == ["thietke.longxuyen@angiang.gov.vn"]
    assert "thongbao@angiang.gov.vn" in mail.sender
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert mail.subject == f"Hồ sơ “{submission.title}” cần chỉnh sửa"
    link = f"{PUBLIC_URL}/submissions/{submission.id}"
    for part in (mail.part("plain"), mail.part("html")):
        assert "Kính gửi designer1" in part
        assert "yêu cầu chỉnh sửa" in part
        assert "CT-11" in part and "Sai năm ban hành nghị quyết." in part
        assert "Ngôi sao lệch tâm" in part
        assert "Sửa lại khẩu hiệu." in part
        assert link in part
    assert f'href="{link}"' in mail.part("html")
    [notification] = [n for n in _notifications(designer) if n.kind == "decision"]
    assert notification.email_status == "sent" and notification.emailed_at is not None


def test_a_submission_tells_every_reviewer_and_not_the_designer_who_sent_it(
    app, ctx, inbox, designer, make_user, make_submission
):
    reviewers = [_with_email(make_user("reviewer", DEPARTMENT)) for _ in range(2)]
    _with_email(designer)
    submission = make_submission(designer)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    run_jobs(app)
    assert sorted(r for m in inbox.messages for r in m.recipients) == sorted(
        u.email for u in reviewers
    )
    subject = f"Hồ sơ mới chờ thẩm định: “{submission.title}”"
    assert all(m.subject == subject for m in inbox.messages)
    assert f"{PUBLIC_URL}/reviews/{submission.id}" in inbox.messages[0].part("plain")
    assert _notifications(designer) == []


def test_with_smtp_down_the_decision_stands_and_the_email_is_retried_then_marked_failed(
    app, ctx, smtp_settings, designer, reviewer, make_submission
):
    _with_email(designer)
    submission = _in_review(designer, reviewer, make_submission)
    answer_all(reviewer, submission)
    apply_transition(reviewer, submission, "approve")
    db.session.commit()  # nothing listens on the SMTP port: the decision is unaffected
    assert db.session.get(Submission, submission.id).status == "approved"

    [record] = email_jobs()
    with pytest.raises(RetryTask):
        run_job(app, record.id)
    [record] = email_jobs()
    assert record.status == "queued" and record.attempts == 1
    assert "Connection refused" in record.last_error or "Errno" in record.last_error
    run_job(app, record.id)  # the last of REGISTRY_TASK_MAX_ATTEMPTS = 2
    [record] = email_jobs()
    assert record.status == "failed" and record.attempts == 2
    [notification] = [n for n in _notifications(designer) if n.kind == "decision"]
    assert notification.email_status == "failed" and notification.email_error
    assert notification.read_at is None  # still waiting in the app


def test_each_kind_reaches_a_user_only_the_way_they_chose(
    app, ctx, inbox, designer, make_user, make_submission
):
    in_app_only = _with_email(make_user("reviewer", DEPARTMENT))
    by_email = _with_email(make_user("reviewer", DEPARTMENT))
    save_preferences(in_app_only, in_app_only.email, {"submitted": "app"})
    db.session.commit()
    submission = make_submission(designer)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    run_jobs(app)
    assert [m.recipients for m in inbox.messages] == [[by_email.email]]
    [kept] = _notifications(in_app_only)
    assert kept.delivery == "app" and kept.email_status is None


def test_the_daily_digest_sends_one_email_of_what_arrived_and_a_second_run_sends_nothing(
    app, ctx, inbox, designer, make_user, make_submission
):
    reviewer = _with_email(make_user("reviewer", DEPARTMENT))
    save_preferences(reviewer, reviewer.email, {"submitted": "digest"})
    db.session.commit()
    titles = ["Pano Lý Thái Tổ", "Băng rôn Tết"]
    for title in titles:
        apply_transition(designer, make_submission(designer, title=title), "submit")
    db.session.commit()
    assert email_jobs() == []  # nothing is sent at once
    runner = app.test_cli_runner()
    result = runner.invoke(args=["registry", "digest"])
    assert result.exit_code == 0, result.output
    assert "Đã xếp hàng 1 e-mail tổng hợp (2 thông báo)" in result.output
    run_jobs(app, "notifications.send_digest")
    [mail] = inbox.messages
    assert mail.recipients == [reviewer.email]
    assert mail.subject == "Tổng hợp thông báo: 2 thông báo mới"
    for part in (mail.part("plain"), mail.part("html")):
        assert all(title in part for title in titles)
        assert f"{PUBLIC_URL}/notifications" in part

    again = runner.invoke(args=["registry", "digest"])
    assert "Đã xếp hàng 0 e-mail tổng hợp (0 thông báo)" in again.output
    run_jobs(app, "notifications.send_digest")
    assert len(inbox.messages) == 1
    # What arrives later goes in the next digest.
    apply_transition(designer, make_submission(designer, title="Pano mới"), "submit")
    db.session.commit()
    runner.invoke(args=["registry", "digest"])
    run_jobs(app, "notifications.send_digest")
    assert len(inbox.messages) == 2 and "Pano mới" in inbox.messages[1].part("plain")
    assert "Lý Thái Tổ" not in inbox.messages[1].part("plain")


def test_without_an_smtp_host_notifications_stay_in_the_app(
    app, ctx, designer, reviewer, make_submission
):
    _with_email(reviewer)
    apply_transition(designer, make_submission(designer), "submit")
    db.session.commit()
    assert email_jobs() == []
    [notification] = _notifications(reviewer)
    assert notification.kind == "submitted" and notification.email_status is None
    result = app.test_cli_runner().invoke(args=["registry", "digest"])
    assert "REGISTRY_SMTP_HOST chưa được đặt" in result.output


def test_what_people_typed_is_escaped_in_the_html_part_and_kept_in_the_plain_one(
    app, ctx, inbox, designer, reviewer, make_submission
):
    _with_email(designer)
    submission = _in_review(designer, reviewer, make_submission)
    add_annotation(
        reviewer, submission.latest_version, 0.5, 0.5, "Bỏ <b>chữ đậm</b> & <i>nghiêng</i>"
    )
    fail_one(reviewer, submission)
    apply_transition(reviewer, submission, "request_changes")
    db.session.commit()
    run_jobs(app)
    [mail] = inbox.messages
    assert "Bỏ <b>chữ đậm</b> & <i>nghiêng</i>" in mail.part("plain")
    html = mail.part("html")
    assert "<b>chữ đậm</b>" not in html
    assert "Bỏ &lt;b&gt;chữ đậm&lt;/b&gt; &amp; &lt;i&gt;nghiêng&lt;/i&gt;" in html
