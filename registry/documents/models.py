"""Every certificate the registry has signed approval documents with."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from registry.db import Base


class SigningCertificate(Base):
    """A certificate the Department signed with: kept after it is renewed or rotated, so that
    what it signed stays valid (a trust root of signature validation)."""

    __tablename__ = "signing_certificates"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # SHA-256 of the DER encoding, as hex: the certificate's identity.
    fingerprint: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    subject: so.Mapped[str] = so.mapped_column(sa.String(1000))
    issuer: so.Mapped[str] = so.mapped_column(sa.String(1000))
    serial_number: so.Mapped[str] = so.mapped_column(sa.String(100))  # hex
    valid_from: so.Mapped[datetime]
    valid_to: so.Mapped[datetime]
    der: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
    first_used_at: so.Mapped[datetime]
    last_used_at: so.Mapped[datetime]

    def __repr__(self) -> str:
        return f"<SigningCertificate {self.fingerprint[:16]} {self.subject!r}>"
