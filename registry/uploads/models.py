"""Resumable uploads in progress: who is sending which file for which submission, and how far."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.db import Base, enum_check, utcnow
from registry.submissions.models import Submission

UPLOAD_KINDS = {"artwork": _l("Tệp mẫu"), "print_file": _l("Tệp in gốc")}


class ResumableUpload(Base):
    """A file arriving in chunks (tus) into the staging folder, until a version takes it."""

    __tablename__ = "resumable_uploads"
    __table_args__ = (
        enum_check("kind", UPLOAD_KINDS),
        sa.CheckConstraint("length_bytes > 0", name="length_positive"),
        sa.CheckConstraint(
            "offset_bytes >= 0 AND offset_bytes <= length_bytes", name="offset_valid"
        ),
        sa.Index("ix_resumable_uploads_expires_at", "expires_at"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    # The upload's address (/uploads/<token>): random, so that addresses cannot be guessed.
    token: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    submission_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    filename: so.Mapped[str] = so.mapped_column(sa.String(255))
    length_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    offset_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger, default=0)
    # What the browser says the file's SHA-256 is, and what the server computed on completion.
    claimed_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    expires_at: so.Mapped[datetime]

    user: so.Mapped[User] = so.relationship()
    submission: so.Mapped[Submission] = so.relationship()

    @property
    def is_complete(self) -> bool:
        return self.offset_bytes == self.length_bytes

    def __repr__(self) -> str:
        return f"<ResumableUpload {self.token} {self.offset_bytes}/{self.length_bytes}>"
