"""Which signatures the registry calls valid: those made by a certificate the Department signed
with. Every certificate used is recorded (SigningCertificate) and stays trusted after the key is
renewed or moved to another token; REGISTRY_SIGNING_TRUST_ROOTS adds certificates the operator
names (a PEM or DER file, or a folder of them), e.g. the ones used before the registry kept
count. A public CA's root is not trusted on its own: anyone it certified could sign."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sqlalchemy as sa
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from registry.db import utcnow
from registry.documents.models import SigningCertificate
from registry.extensions import db

CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer", ".der")


def fingerprint(cert: asn1_x509.Certificate) -> str:
    return hashlib.sha256(cert.dump()).hexdigest()


def record_use(cert: asn1_x509.Certificate) -> SigningCertificate:
    """Record that the registry signs with this certificate now (first use or another)."""
    now = utcnow()
    values = {
        "fingerprint": fingerprint(cert),
        "subject": cert.subject.human_friendly[:1000],
        "issuer": cert.issuer.human_friendly[:1000],
        "serial_number": format(cert.serial_number, "x"),
        "valid_from": cert.not_valid_before,
        "valid_to": cert.not_valid_after,
        "der": cert.dump(),
        "first_used_at": now,
        "last_used_at": now,
    }
    # Two approvals signed at once with a new certificate both insert it; one row stays.
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SigningCertificate)
        .values(values)
        .on_conflict_do_nothing(index_elements=["fingerprint"])
    )
    row = db.session.scalar(
        sa.select(SigningCertificate).where(SigningCertificate.fingerprint == values["fingerprint"])
    )
    row.last_used_at = now
    return row


def load_certificates(path: str) -> list[asn1_x509.Certificate]:
    """The certificates in a PEM or DER file, or in the certificate files of a folder."""
    location = Path(path)
    files = (
        sorted(p for p in location.iterdir() if p.suffix.lower() in CERTIFICATE_SUFFIXES)
        if location.is_dir()
        else [location]
    )
    certificates = []
    for file in files:
        data = file.read_bytes()
        if pem.detect(data):
            certificates += [
                asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True)
            ]
        else:
            certificates.append(asn1_x509.Certificate.load(data))
    return certificates


def check_trust_roots(config) -> None:
    """Refuse to start on a REGISTRY_SIGNING_TRUST_ROOTS that cannot be read."""
    path = config.get("REGISTRY_SIGNING_TRUST_ROOTS")
    if not path:
        return
    try:
        for cert in load_certificates(path):
            cert.subject  # noqa: B018  (parses it)
    except (OSError, ValueError) as error:
        raise ValueError(  # the operator's, when the app starts
            "Không đọc được chứng thư số trong "  # not interface: start-up check
            f"REGISTRY_SIGNING_TRUST_ROOTS={path}: {error}"
        ) from None


def trust_roots(config) -> list[asn1_x509.Certificate]:
    """Every certificate the registry signed with, and those the operator names."""
    roots = [
        asn1_x509.Certificate.load(der)
        for der in db.session.scalars(
            sa.select(SigningCertificate.der).order_by(SigningCertificate.id)
        )
    ]
    if config.get("REGISTRY_SIGNING_TRUST_ROOTS"):
        roots += load_certificates(config["REGISTRY_SIGNING_TRUST_ROOTS"])
    return roots
