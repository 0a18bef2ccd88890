"""`flask registry clean-uploads`: abandoned resumable uploads are removed after their expiry."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from registry.extensions import db
from registry.uploads.operations import remove_expired


@click.command("clean-uploads")
@with_appcontext
def clean_uploads_command() -> None:
    """Delete unfinished uploads idle for REGISTRY_UPLOAD_EXPIRY_HOURS, and stray staged files."""
    uploads, strays = remove_expired()
    db.session.commit()
    hours = current_app.config["REGISTRY_UPLOAD_EXPIRY_HOURS"]
    # An operator command: it prints Vietnamese, like the other `flask registry` commands.
    click.echo(
        f"Đã xóa {uploads} phiên tải lên bỏ dở quá {hours} giờ "  # not interface: CLI output
        f"và {strays} tệp tạm không còn dùng."  # not interface: CLI output
    )
