"""`flask registry …` commands."""

from datetime import UTC, date, datetime

import sqlalchemy as sa

from registry import clock
from registry.auth.models import User
from registry.extensions import db
from registry.submissions.models import Placement, Submission


def test_create_user_with_password_option(runner):
    result = runner.invoke(
        args=[
            "registry",
            "create-user",
            "lan",
            "--role",
            "designer",
            "--unit",
            "30307",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản lan" in result.output
    user = db.session.scalar(sa.select(User).where(User.username == "lan"))
    assert user.unit.code == "30307" and user.check_password("mat-khau-dai")


def test_create_user_prompts_for_the_password(runner):
    result = runner.invoke(
        args=["registry", "create-user", "minh", "--role", "reviewer", "--unit", "SVHTT-QLVH"],
        input="mat-khau-dai\nmat-khau-dai\n",
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(sa.select(User).where(User.username == "minh")).role == "reviewer"


def test_create_user_refuses_an_unknown_unit(runner):
    result = runner.invoke(
        args=[
            "registry",
            "create-user",
            "x",
            "--role",
            "designer",
            "--unit",
            "99999",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code != 0 and "Không có đơn vị đang hoạt động mã “99999”" in result.output


def test_create_user_refuses_a_taken_username(runner, make_user):
    make_user("designer", username="trung")
    result = runner.invoke(
        args=[
            "registry",
            "create-user",
            "trung",
            "--role",
            "designer",
            "--unit",
            "30307",
            "--password",
            "mat-khau-dai",
        ]
    )
    assert result.exit_code != 0 and "đã được dùng" in result.output


def test_demo_prints_passwords_once_and_creates_sample_submissions(runner):
    first = runner.invoke(args=["registry", "demo"])
    assert first.exit_code == 0, first.output
    assert "mật khẩu chỉ hiện một lần" in first.output and "reviewer" in first.output
    statuses = sorted(db.session.scalars(sa.select(Submission.status)))
    assert statuses == ["approved", "draft", "submitted"]
    second = runner.invoke(args=["registry", "demo"])
    assert "đã có từ trước" in second.output
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 3


def test_demo_users_have_personal_names_not_job_titles(runner):
    # Pages and the audit log put the role's title before the name ("Chuyên viên Nguyễn Thị
    # Lan"); a demo name that is itself a title read as a department, not a person.
    from registry.admin.audit_log import ACTOR_TITLES
    from registry.auth.models import ROLES

    runner.invoke(args=["registry", "demo"])
    # The titles as written in Vietnamese (labels are translated when shown: str() renders them).
    titles = {str(t) for t in (*ACTOR_TITLES.values(), *ROLES.values(), "Cán bộ", "Trưởng phòng")}
    users = db.session.scalars(sa.select(User)).all()
    assert len(users) == 6
    for user in users:
        assert not any(user.full_name.startswith(title) for title in titles), user.full_name


def test_load_reference_data_command_is_idempotent(runner):
    result = runner.invoke(args=["registry", "load-reference-data"])
    assert result.exit_code == 0
    assert "đơn vị: thêm 0;" in result.output


def test_demo_still_creates_its_samples_next_year(runner, monkeypatch):
    # The samples' display periods follow today: a fixed period would be over, and refused.
    monkeypatch.setattr(clock, "utcnow", lambda: datetime(2027, 3, 15, 3, 0, tzinfo=UTC))
    result = runner.invoke(args=["registry", "demo"])
    assert result.exit_code == 0, result.output
    periods = db.session.execute(sa.select(Placement.display_from, Placement.display_to)).all()
    assert periods and all(start == date(2027, 3, 15) < end for start, end in periods)


def test_demo_says_plainly_that_the_public_address_must_be_set_before_printing_qr_codes(
    app, runner, monkeypatch
):
    monkeypatch.setitem(app.config, "REGISTRY_PUBLIC_URL", None)
    first = runner.invoke(args=["registry", "demo"])
    assert "REGISTRY_PUBLIC_URL chưa được đặt" in first.output
    assert "Trước khi in mã QR thật" in first.output
    assert "registry reset-password" in first.output  # how to recover the demo passwords
    monkeypatch.setitem(app.config, "REGISTRY_PUBLIC_URL", "https://camdong.angiang.gov.vn")
    again = runner.invoke(args=["registry", "demo"])
    assert "REGISTRY_PUBLIC_URL" not in again.output
    assert "registry reset-password" in again.output
