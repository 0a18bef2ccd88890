"""Each e-mail speaks its recipient's language: in one run, the English-speaking designer's
decision e-mail arrives in English at the real SMTP server while the Vietnamese reviewer's stays
Vietnamese; the daily digest and the notification list follow the recipient too."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.notifications.models import Notification
from registry.notifications.operations import save_preferences
from registry.reviews.operations import add_annotation
from registry.workflow import apply_transition
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT, fail_one
from tests.notifications.conftest import PUBLIC_URL, run_jobs


def _person(user, language: str):
    user.email = f"{user.username}@angiang.gov.vn"
    user.language = language
    db.session.commit()
    return user


def test_each_email_is_written_in_its_recipients_language(
    app, ctx, inbox, designer, reviewer, make_submission
):
    _person(designer, "en")
    _person(reviewer, "vi")
    submission = make_submission(designer, title="Pano Kết luận 288")
    apply_transition(designer, submission, "submit")
    apply_transition(reviewer, submission, "claim")
    add_annotation(reviewer, submission.latest_version, 0.4, 0.3, "Ngôi sao lệch tâm")
    fail_one(reviewer, submission, "CT-11", "Sai năm ban hành nghị quyết.")
    apply_transition(reviewer, submission, "request_changes", comment="Sửa lại khẩu hiệu.")
    db.session.commit()

    run_jobs(app)
    [to_designer] = inbox.to(designer.email)
    assert to_designer.subject == "Submission “Pano Kết luận 288” needs changes"
    assert "Visual Propaganda Artwork Registry" in str(to_designer.message["From"])
    for part in (to_designer.part("plain"), to_designer.part("html")):
        assert f"Dear {designer.display_name}," in part
        assert f"{reviewer.display_name} requested changes to the submission" in part
        assert "Failed criteria:" in part and "Unresolved pin comments:" in part
        assert "Comment: Sửa lại khẩu hiệu." in part  # the reviewer's words as written
        assert "This e-mail was sent automatically" in part
        for vietnamese in ("Kính gửi", "yêu cầu chỉnh sửa", "Tiêu chí không đạt", "Thư này"):
            assert vietnamese not in part
    assert 'lang="en"' in to_designer.part("html")
    assert f"{PUBLIC_URL}/submissions/{submission.id}" in to_designer.part("plain")

    [to_reviewer] = inbox.to(reviewer.email)
    assert to_reviewer.subject == "Hồ sơ mới chờ thẩm định: “Pano Kết luận 288”"
    assert "Kho mẫu cổ động trực quan" in str(to_reviewer.message["From"])
    for part in (to_reviewer.part("plain"), to_reviewer.part("html")):
        assert f"Kính gửi {reviewer.display_name}," in part
        assert "đã gửi hồ sơ “Pano Kết luận 288”" in part
        assert "Dear" not in part and "submitted" not in part


def test_the_notification_list_shows_what_was_sent_in_the_recipients_language(
    client, login, designer, reviewer, make_submission
):
    _person(designer, "en")
    submission = make_submission(designer, title="Pano song ngữ")
    apply_transition(designer, submission, "submit")
    apply_transition(reviewer, submission, "claim")
    fail_one(reviewer, submission)
    apply_transition(reviewer, submission, "reject")
    db.session.commit()
    [stored] = db.session.scalars(sa.select(Notification).where(Notification.user == designer))
    assert stored.title == "Submission “Pano song ngữ” was rejected"
    login(designer)
    html = client.get("/notifications").get_data(as_text=True)
    main = html[html.index("<main>") : html.index("</main>")]
    assert "Review decisions on my submissions" in main  # the kind, rendered when shown
    assert "Submission “Pano song ngữ” was rejected" in main
    assert ">Mark all as read</button>" in main
    for vietnamese in ("Kết quả thẩm định", "không được duyệt", "Đánh dấu"):
        assert vietnamese not in main
    response = client.post(
        "/notifications/read-all", data={"csrf_token": csrf_token(client, "/notifications")}
    )
    assert response.status_code in (302, 303)
    assert "Marked 1 notification as read." in client.get("/notifications").get_data(as_text=True)


def test_the_daily_digest_of_an_english_speaking_reviewer_is_in_english(
    app, ctx, inbox, designer, make_user, make_submission
):
    reviewer = _person(make_user("reviewer", DEPARTMENT), "en")
    save_preferences(reviewer, reviewer.email, {"submitted": "digest"})
    db.session.commit()
    for title in ("Pano Lý Thái Tổ", "Băng rôn Tết"):
        apply_transition(designer, make_submission(designer, title=title), "submit")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["registry", "digest"])
    assert result.exit_code == 0, result.output
    run_jobs(app, "notifications.send_digest")
    [mail] = inbox.messages
    assert mail.subject == "Notification digest: 2 new notifications"
    for part in (mail.part("plain"), mail.part("html")):
        assert "2 new notifications on the Visual Propaganda Artwork Registry:" in part
        assert "New submission awaiting review: “Băng rôn Tết”" in part
        assert "[New submissions for review]" in part
        assert "Tổng hợp" not in part and "Hồ sơ mới" not in part
