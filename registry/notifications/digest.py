"""`flask --app wsgi registry digest`: each user who chose the daily digest gets one e-mail of
what arrived since their last one (cron it once a day; running it twice sends nothing twice)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from registry.extensions import db
from registry.notifications.mail import smtp_configured
from registry.notifications.operations import queue_digests


@click.command("digest")
@with_appcontext
def digest_command() -> None:
    """Queue the daily digest e-mail of every user who chose it."""
    if not smtp_configured():
        click.echo(
            "REGISTRY_SMTP_HOST chưa được đặt: "  # not interface: the operator's terminal
            "không gửi e-mail tổng hợp nào."
        )
        return
    users, notifications = queue_digests()
    db.session.commit()
    click.echo(
        f"Đã xếp hàng {users} e-mail tổng hợp ({notifications} thông báo); "  # not interface: CLI
        "tiến trình xử lý nền (registry worker) sẽ gửi đi."
    )
