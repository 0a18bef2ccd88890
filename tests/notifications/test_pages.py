"""The notifications page, its count in the navigation, marking read, and the preferences page;
a user never sees or touches another user's notifications."""

from __future__ import annotations

import sqlalchemy as sa

from registry.admin.audit_log import Change, readable
from registry.audit import AuditEvent
from registry.extensions import db
from registry.notifications.models import Notification, NotificationPreference
from registry.workflow import apply_transition
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT


def _submitted(designer, make_submission, title: str):
    submission = make_submission(designer, title=title)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    return submission


def _mine(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def test_the_list_shows_my_notifications_and_the_navigation_counts_the_unread(
    client, login, designer, reviewer, make_user, make_submission
):
    other = make_user("reviewer", DEPARTMENT)
    _submitted(designer, make_submission, "Pano Lý Thái Tổ")
    _submitted(designer, make_submission, "Băng rôn Tết")
    mine = _mine(reviewer)
    assert len(mine) == 2 and len(_mine(other)) == 2
    login(reviewer)
    page = client.get("/notifications").get_data(as_text=True)
    assert "Hồ sơ mới chờ thẩm định: “Pano Lý Thái Tổ”" in page
    assert "Băng rôn Tết" in page
    assert 'class="count-badge">2<' in page
    assert "Chưa đọc (2)" in page
    # Open one: it is read, and the page it leads to opens.
    token = csrf_token(client, "/notifications")
    first = mine[0]
    response = client.post(
        f"/notifications/{first.id}/read", data={"csrf_token": token, "open": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"] == first.link
    assert 'class="count-badge">1<' in client.get("/account").get_data(as_text=True)
    unread_only = client.get("/notifications?show=unread").get_data(as_text=True)
    assert "Băng rôn Tết" in unread_only and "Pano Lý Thái Tổ" not in unread_only
    response = client.post("/notifications/read-all", data={"csrf_token": token})
    assert response.status_code == 302
    assert all(n.read_at is not None for n in _mine(reviewer))
    assert all(n.read_at is None for n in _mine(other))  # theirs are untouched
    assert "count-badge" not in client.get("/notifications").get_data(as_text=True)


def test_another_users_notification_is_not_found_and_stays_unread(
    client, login, designer, reviewer, make_user, make_submission
):
    other = make_user("reviewer", DEPARTMENT)
    _submitted(designer, make_submission, "Pano riêng")
    [theirs] = _mine(other)
    login(reviewer)
    page = client.get("/notifications").get_data(as_text=True)
    assert f"/notifications/{theirs.id}/read" not in page
    token = csrf_token(client, "/notifications")
    response = client.post(f"/notifications/{theirs.id}/read", data={"csrf_token": token})
    assert response.status_code == 404
    assert _mine(other)[0].read_at is None


def test_marking_read_needs_the_csrf_token(client, login, designer, reviewer, make_submission):
    _submitted(designer, make_submission, "Pano")
    [mine] = _mine(reviewer)
    login(reviewer)
    assert client.post(f"/notifications/{mine.id}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert _mine(reviewer)[0].read_at is None


def test_preferences_are_saved_audited_and_used_for_the_next_notification(
    client, login, designer, reviewer, make_submission
):
    login(reviewer)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Hồ sơ mới gửi thẩm định" in page and "Chỉ trong ứng dụng" in page
    assert "Mẫu mới được duyệt cho đơn vị" not in page  # only the kinds a reviewer receives
    token = csrf_token(client, "/account/notifications")
    response = client.post(
        "/account/notifications",
        data={
            "csrf_token": token,
            "email": "chuyenvien@angiang.gov.vn",
            "kind_submitted": "digest",
            "kind_signoff": "email",
            "kind_decision": "email",
            "kind_approved": "email",
            "kind_revoked": "email",
            "kind_pin_reply": "app",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert reviewer.email == "chuyenvien@angiang.gov.vn"
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.channel).where(
                NotificationPreference.user_id == reviewer.id
            )
        ).all()
    )
    assert chosen == {"submitted": "digest", "pin_reply": "app"}  # the rest kept the default
    [event] = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "user.notification_preferences")
    ).all()
    assert event.actor_id == reviewer.id
    assert event.data["changes"]["notify_submitted"] == ["email", "digest"]
    assert event.data["changes"]["email"] == [None, "chuyenvien@angiang.gov.vn"]
    [line] = readable([event])  # as the audit log reads it
    assert line.sentence.endswith(" đã đổi cách nhận thông báo của mình")
    assert (
        Change(
            "Nhận “Hồ sơ mới gửi thẩm định”",
            "Trong ứng dụng và gửi e-mail ngay",
            "Trong ứng dụng và một e-mail tổng hợp mỗi ngày",
        )
        in line.changes
    )
    _submitted(designer, make_submission, "Pano")
    [notification] = _mine(reviewer)
    assert notification.delivery == "digest"


def test_a_bad_email_address_is_refused_with_a_message_and_nothing_saved(client, login, reviewer):
    login(reviewer)
    token = csrf_token(client, "/account/notifications")
    response = client.post(
        "/account/notifications",
        data={"csrf_token": token, "email": "khong-phai-email", "kind_submitted": "app"},
    )
    assert response.status_code == 400
    assert "Địa chỉ e-mail không hợp lệ" in response.get_data(as_text=True)
    db.session.expire_all()
    assert reviewer.email is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(NotificationPreference)) == 0


def test_the_preferences_page_offers_only_the_kinds_the_users_role_receives(
    client, login, designer
):
    login(designer)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "Kết quả thẩm định hồ sơ của tôi" in page and "Trả lời ghi chú trên mẫu" in page
    assert "Hồ sơ mới gửi thẩm định" not in page
    assert 'name="kind_submitted"' not in page
