"""Approved artwork in object storage, and the log of its downloads."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so
from sqlalchemy.ext.hybrid import hybrid_method

from registry.auth.models import User
from registry.campaigns.models import Campaign
from registry.db import Base, utcnow
from registry.submissions.models import ArtworkVersion, Submission
from registry.units.models import Unit

# The states of an approved asset: computed from its dates and revocation, never stored.
ASSET_STATUSES = {
    "upcoming": _l("Đã duyệt, chưa đến thời gian treo"),
    "valid": _l("Còn hiệu lực"),
    "expired": _l("Hết hiệu lực"),
    "revoked": _l("Đã thu hồi"),
}
# An approval not yet begun may be downloaded already: the locality prints before it hangs.
DOWNLOADABLE_STATUSES = ("upcoming", "valid")


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
        # The state filters that match few rows: approvals whose period lies ahead ("upcoming")
        # and revoked ones. Valid and expired ones are found walking the list's own order.
        sa.Index("ix_approved_assets_valid_from", "valid_from"),
        sa.Index(
            "ix_approved_assets_revoked_approved_at_id",
            "approved_at",
            "id",
            postgresql_where=sa.text("revoked_at IS NOT NULL"),
            sqlite_where=sa.text("revoked_at IS NOT NULL"),
        ),
        # One document number per year, never given twice.
        sa.UniqueConstraint("document_year", "document_number"),
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
    # The approval document (PDF) issued with the approval, in the approved bucket.
    document_year: so.Mapped[int | None]
    document_number: so.Mapped[int | None]
    document_label: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    document_key: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    document_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    document_size_bytes: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    document_signed: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    submission: so.Mapped[Submission] = so.relationship()
    version: so.Mapped[ArtworkVersion] = so.relationship()
    campaign: so.Mapped[Campaign] = so.relationship()
    unit: so.Mapped[Unit] = so.relationship()
    approved_by: so.Mapped[User] = so.relationship(foreign_keys=[approved_by_id])

    # The state rule, once in Python and once in SQL, side by side; a test holds them equal
    # (tests/library/test_asset_status.py). The SQL compares plain columns, so an index on
    # them or on the list's order serves every filter.

    def status_on(self, day: date) -> str:
        """The asset's state on the given day: one of ASSET_STATUSES."""
        if self.revoked_at is not None:
            return "revoked"
        if self.valid_to is not None and day > self.valid_to:
            return "expired"
        if day < self.valid_from:
            return "upcoming"
        return "valid"

    @hybrid_method
    def has_status(self, status: str, day: date) -> bool:
        """Whether the asset is in this state on the given day (in SQL: a WHERE clause)."""
        return self.status_on(day) == status

    @has_status.expression
    def has_status(cls, status: str, day: date):
        not_revoked = cls.revoked_at.is_(None)
        not_over = sa.or_(cls.valid_to.is_(None), cls.valid_to >= day)
        clauses = {
            "revoked": cls.revoked_at.is_not(None),
            "expired": sa.and_(not_revoked, cls.valid_to < day),
            "upcoming": sa.and_(not_revoked, cls.valid_from > day, not_over),
            "valid": sa.and_(not_revoked, cls.valid_from <= day, not_over),
        }
        return clauses[status]

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


class DocumentCounter(Base):
    """The last approval document number given in a year; its row is locked while the next
    number is taken, so numbers run without gaps or repeats (a rolled-back approval gives its
    number back)."""

    __tablename__ = "document_counters"

    year: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    last_number: so.Mapped[int] = so.mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<DocumentCounter {self.year} {self.last_number}>"
