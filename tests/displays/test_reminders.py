"""`flask registry remind`: reminder notifications to each unit's locality users, once a day."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from registry.clock import local_today as today
from registry.displays.operations import record_on_site
from registry.extensions import db
from registry.notifications.models import Notification, NotificationPreference
from registry.notifications.operations import mark_all_read
from registry.submissions.models import Placement
from tests.displays.conftest import end_period, photo_upload


def _started(placement, days_ago: int) -> None:
    db.session.execute(
        sa.update(Placement)
        .where(Placement.id == placement.id)
        .values(display_from=today() - timedelta(days=days_ago), display_to=today() + timedelta(30))
    )
    db.session.commit()


def _notices(user) -> list[Notification]:
    """The user's reminders (approvals also notify localities)."""
    return db.session.scalars(
        sa.select(Notification)
        .where(Notification.user_id == user.id, Notification.kind == "reminder")
        .order_by(Notification.id)
    ).all()


def test_localities_are_reminded_of_overdue_and_uninstalled_displays(
    runner, people, approved_placement, make_user
):
    overdue = approved_placement()
    record_on_site(people["locality_a"], overdue, "install", [photo_upload()])
    db.session.commit()
    end_period(overdue)
    _started(approved_placement(), days_ago=10)  # approved, never installed, 10 days on
    _started(approved_placement(), days_ago=2)  # too early to remind
    second_locality = make_user("locality", people["locality_a"].unit.code)
    result = runner.invoke(args=["registry", "remind"])
    assert result.exit_code == 0, result.output
    assert "Đã gửi 2 thông báo" in result.output
    for user in (people["locality_a"], second_locality):
        (notice,) = _notices(user)
        assert notice.kind == "reminder" and notice.kind_label == "Nhắc việc treo/dựng, tháo dỡ"
        assert "1 điểm đã hết thời gian treo/dựng nhưng chưa tháo dỡ" in notice.title
        assert "1 điểm đã được duyệt nhưng chưa ghi nhận lắp đặt sau 7 ngày" in notice.title
        assert notice.link == "/displays/?state=overdue"
    assert _notices(people["locality_b"]) == [] and _notices(people["designer_a"]) == []


def test_running_twice_a_day_adds_nothing(runner, people, approved_placement):
    _started(approved_placement(), days_ago=10)
    assert "Đã gửi 1 thông báo" in runner.invoke(args=["registry", "remind"]).output
    assert "Đã gửi 0 thông báo" in runner.invoke(args=["registry", "remind"]).output
    assert len(_notices(people["locality_a"])) == 1


def test_the_days_before_a_reminder_are_a_setting(app, runner, people, approved_placement):
    _started(approved_placement(), days_ago=3)
    app.config["REGISTRY_REMIND_INSTALL_DAYS"] = 2
    try:
        result = runner.invoke(args=["registry", "remind"])
    finally:
        app.config["REGISTRY_REMIND_INSTALL_DAYS"] = 7
    assert "sau 2 ngày" in _notices(people["locality_a"])[0].title, result.output


def test_the_reminder_is_one_more_notification_in_the_one_list(
    client, login, runner, people, approved_placement
):
    _started(approved_placement(), days_ago=10)
    mark_all_read(people["locality_a"])  # the approval's own notification
    db.session.commit()
    runner.invoke(args=["registry", "remind"])
    login(people["locality_a"])
    account = client.get("/account").get_data(as_text=True)
    assert account.count(">Thông báo") == 1  # one link in the navigation, with one badge
    assert 'aria-label="Thông báo: 1 chưa đọc"' in account
    page = client.get("/notifications").get_data(as_text=True)
    assert "chưa ghi nhận lắp đặt" in page and "Nhắc việc treo/dựng, tháo dỡ" in page


def test_the_old_notices_page_sends_people_to_the_notifications(client, login, people):
    login(people["locality_a"])
    response = client.get("/notices")
    assert response.status_code == 301
    assert response.headers["Location"] == "/notifications"


def test_a_reminder_is_delivered_as_the_locality_chose(runner, people, approved_placement):
    db.session.add(
        NotificationPreference(user_id=people["locality_a"].id, kind="reminder", channel="digest")
    )
    db.session.commit()
    _started(approved_placement(), days_ago=10)
    runner.invoke(args=["registry", "remind"])
    (notice,) = _notices(people["locality_a"])
    assert notice.delivery == "digest" and notice.key.startswith("remind:")
