"""`flask --app wsgi registry …` commands."""

from __future__ import annotations

import secrets

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from registry.auth.models import ROLES, User, password_problem
from registry.auth.operations import create_user, reset_password
from registry.backup import backup_command, restore_command
from registry.demo import create_demo_submissions
from registry.displays.reminders import remind_command
from registry.documents.commands import check_signing_command
from registry.exceptions import UserFacingError
from registry.extensions import db
from registry.notifications.digest import digest_command
from registry.refdata import load_reference_data
from registry.storage.consistency import check_storage_command, verify_command
from registry.storage.service import get_store
from registry.submissions.tiles import tiles_command
from registry.tasks.worker import worker_command
from registry.units.models import Unit
from registry.uploads.cleanup import clean_uploads_command


@click.group("registry")
def registry_cli() -> None:
    """Manage the artwork registry."""


@registry_cli.command("init")
@with_appcontext
def init_command() -> None:
    """Migrate the database to the newest schema, load reference data and create buckets."""
    upgrade()
    report = load_reference_data()
    db.session.commit()
    get_store().ensure_buckets()
    click.echo(f"Đã cập nhật cơ sở dữ liệu. Dữ liệu tham chiếu: {report}.")


@registry_cli.command("load-reference-data")
@with_appcontext
def load_reference_data_command() -> None:
    """Load the shipped units, checklist and campaigns (idempotent)."""
    report = load_reference_data()
    db.session.commit()
    click.echo(f"Dữ liệu tham chiếu: {report}.")


@registry_cli.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(sorted(ROLES)), required=True)
@click.option("--unit", "unit_code", required=True, help="Mã đơn vị, ví dụ 30307 hoặc SVHTT-QLVH.")
@click.option("--full-name", default="")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_user_command(username, role, unit_code, full_name, password) -> None:
    """Create a user bound to one unit (prompts for the password when --password is left out)."""
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code, Unit.is_active))
    if unit is None:
        raise click.BadParameter(
            f"Không có đơn vị đang hoạt động mã “{unit_code}”.", param_hint="--unit"
        )
    if problem := password_problem(password):
        raise click.BadParameter(problem, param_hint="--password")
    try:
        user = create_user(None, username, password, role, unit, full_name)
    except UserFacingError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role_label}, {unit.name}).")


@registry_cli.command("reset-password")
@click.argument("username")
@click.option("--password", default=None, help="Mật khẩu mới; bỏ trống để tạo mật khẩu tạm.")
@with_appcontext
def reset_password_command(username, password) -> None:
    """Give an account a new password (a temporary one unless --password is given); its
    sessions and API tokens end. For the operator who lost a password, the demo's included."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.BadParameter(f"Không có tài khoản “{username}”.", param_hint="USERNAME")
    try:
        new = reset_password(None, user, password)
    except UserFacingError as error:
        raise click.BadParameter(error.message, param_hint="--password") from error
    db.session.commit()
    if password is None:
        click.echo(f"Mật khẩu tạm của {user.username}: {new}")
        click.echo("Người dùng phải đổi mật khẩu này ở lần đăng nhập tới.")
    else:
        click.echo(f"Đã đặt mật khẩu mới cho {user.username}.")


RECOVERY_HINT = (
    "Quên mật khẩu? Chạy: .venv/bin/flask --app wsgi registry reset-password TÊN_ĐĂNG_NHẬP "
    "(in ra mật khẩu tạm, đổi khi đăng nhập)."
)
PUBLIC_URL_NOTICE = (
    "CHÚ Ý: REGISTRY_PUBLIC_URL chưa được đặt. Mã QR và đường dẫn xác minh trên phiếu phê duyệt "
    "đang trỏ tới địa chỉ của máy này, người dân quét sẽ không mở được. Trước khi in mã QR thật, "
    "hãy đặt REGISTRY_PUBLIC_URL=https://<địa chỉ công khai> (biến môi trường hoặc "
    "instance/config.py) rồi khởi động lại."
)

DEMO_USERS = [
    # Personal names: pages and the audit log put the role's title before the name.
    ("admin", "admin", "SVHTT-VP", "Võ Thanh Sơn"),
    ("reviewer", "reviewer", "SVHTT-QLVH", "Nguyễn Thị Lan"),
    ("head", "head", "SVHTT-QLVH", "Trần Văn Hùng"),
    ("designer", "designer", "30307", "Lê Minh Tâm"),
    ("locality", "locality", "30307", "Phạm Thị Hoa"),
    ("designer-so", "designer", "SVHTT-TTBCXB", "Huỳnh Quốc Bảo"),
]


@registry_cli.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create demo users (passwords printed once) and a few sample submissions."""
    created = []
    for username, role, unit_code, full_name in DEMO_USERS:
        if db.session.scalar(sa.select(User.id).where(User.username == username)):
            continue
        unit = db.session.scalar(sa.select(Unit).where(Unit.code == unit_code, Unit.is_active))
        password = secrets.token_urlsafe(9)
        create_user(None, username, password, role, unit, full_name)
        created.append((username, password, role, unit.name))
    db.session.flush()
    samples = create_demo_submissions()
    db.session.commit()
    if created:
        click.echo("Tài khoản dùng thử (mật khẩu chỉ hiện một lần):")
        for username, password, role, unit_name in created:
            click.echo(f"  {username:<12} {password:<14} {ROLES[role]} — {unit_name}")
        click.echo(RECOVERY_HINT)
    else:
        click.echo("Tài khoản dùng thử đã có từ trước.")
        click.echo(RECOVERY_HINT)
    click.echo(f"Hồ sơ mẫu mới: {samples}.")
    if not current_app.config.get("REGISTRY_PUBLIC_URL"):
        click.echo(PUBLIC_URL_NOTICE)


registry_cli.add_command(check_storage_command)
registry_cli.add_command(verify_command)
registry_cli.add_command(check_signing_command)
registry_cli.add_command(remind_command)
registry_cli.add_command(digest_command)
registry_cli.add_command(backup_command)
registry_cli.add_command(restore_command)
registry_cli.add_command(worker_command)
registry_cli.add_command(tiles_command)
registry_cli.add_command(clean_uploads_command)
