"""Approved artwork in object storage, and the log of its downloads."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.db import Base, utcnow
from registry.submissions.models import ArtworkVersion, Submission
from registry.units.models import Unit


class ApprovedAsset(Base):
    __tablename__ = "approved_assets"
    __table_args__ = (
        sa.Index("ix_approved_assets_unit_id_approved_at", "unit_id", "approved_at"),
        # The library lists newest first: for reviewers over all assets, for localities over
        # their unit's (above) and the province templates (partial index).
        sa.Index("ix_approved_assets_approved_at_id", "approved_at", "id"),
        sa.Index("ix_approved_assets_scope_unit_id", "scope", "unit_id"),  # the unit filter
        sa.Index(
            "ix_approved_assets_province_approved_at_id",
            "approved_at",
            "id",
            postgresql_where=sa.text("scope = 'province'"),
            sqlite_where=sa.text("scope = 'province'"),
        ),
        {"sqlite_autoincrement": True},  # an approval code is never reused
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    submission_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("submissions.id"), index=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("artwork_versions.id"))
    review_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("reviews.id"))
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    scope: so.Mapped[str] = so.mapped_column(sa.String(16))
    storage_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    size_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    print_key: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    print_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    valid_from: so.Mapped[date]
    valid_to: so.Mapped[date | None]
    approved_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    approved_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    revoked_at: so.Mapped[datetime | None]
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    revoke_reason: so.Mapped[str] = so.mapped_column(sa.Text, default="")

    submission: so.Mapped[Submission] = so.relationship()
    version: so.Mapped[ArtworkVersion] = so.relationship()
    campaign: so.Mapped[Campaign] = so.relationship()
    unit: so.Mapped[Unit] = so.relationship()
    approved_by: so.Mapped[User] = so.relationship(foreign_keys=[approved_by_id])

    def status_on(self, day: date) -> str:
        """Return 'valid', 'expired' or 'revoked' for the given day."""
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_to is not None and day > self.valid_to:
            return "expired"
        return "valid"

    def __repr__(self) -> str:
        return f"<ApprovedAsset {self.code}>"


class DownloadLog(Base):
    __tablename__ = "download_logs"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    asset_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("approved_assets.id"), index=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    via: so.Mapped[str] = so.mapped_column(sa.String(16), default="page")
    remote_addr: so.Mapped[str] = so.mapped_column(sa.String(64), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    asset: so.Mapped[ApprovedAsset] = so.relationship()
    user: so.Mapped[User] = so.relationship()

    def __repr__(self) -> str:
        return f"<DownloadLog {self.asset_id} by {self.user_id}>"
