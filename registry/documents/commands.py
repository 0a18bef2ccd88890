"""`flask registry check-signing`: the operator's check that the configured key can sign, run
once after installing or changing it (one PIN attempt), rather than on every start."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from registry.clock import local_date
from registry.db import utcnow
from registry.documents import keys, trust
from registry.documents.models import SigningCertificate
from registry.extensions import db


@click.command("check-signing")
@with_appcontext
def check_signing_command() -> None:
    """Open the configured signing key and show its certificate; exit 1 if it cannot sign."""
    config = current_app.config
    source = keys.mode(config)
    if source is None:
        click.echo("Chưa cấu hình ký số: giấy chấp thuận được cấp là bản không ký số.")
        return
    try:
        with keys.open_signer(config) as signer:
            cert = signer.signing_cert
    except keys.SigningUnavailable as error:
        click.echo(f"Không ký được: {error.reason}", err=True)
        sys.exit(1)
    where = "USB token (PKCS#11)" if source == "pkcs11" else "tệp PKCS#12"
    left = (cert.not_valid_after - utcnow()).days
    click.echo(f"Khóa ký số ({where}) dùng được. Chứng thư số: {cert.subject.human_friendly}")
    click.echo(f"Do: {cert.issuer.human_friendly}")
    click.echo(
        f"Hiệu lực: {local_date(cert.not_valid_before):%d/%m/%Y} – "
        f"{local_date(cert.not_valid_after):%d/%m/%Y} (còn {left} ngày)"
    )
    used = db.session.scalar(
        sa.select(SigningCertificate).where(
            SigningCertificate.fingerprint == trust.fingerprint(cert)
        )
    )
    if used is None:
        click.echo("Chứng thư này chưa ký văn bản nào; sẽ được ghi nhận ở lần ký đầu tiên.")
    else:
        click.echo(f"Đã ký văn bản từ {local_date(used.first_used_at):%d/%m/%Y}.")
