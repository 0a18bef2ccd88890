"""Submissions, their artwork versions and placements."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.campaigns.models import Campaign, Slogan
from registry.db import Base, enum_check, utcnow
from registry.units.models import Unit

FORMATS = {
    "pano": _l("Pano"),
    "phuon": _l("Phướn"),
    "bang_ron": _l("Băng rôn"),
    "other": _l("Khác"),
}
SCOPES = {"unit": _l("Dùng tại đơn vị"), "province": _l("Mẫu dùng chung toàn tỉnh")}
STATUSES = {
    "draft": _l("Bản nháp"),
    "submitted": _l("Chờ thẩm định"),
    "in_review": _l("Đang thẩm định"),
    "awaiting_signoff": _l("Chờ lãnh đạo ký"),
    "changes_requested": _l("Yêu cầu chỉnh sửa"),
    "approved": _l("Đã duyệt"),
    "rejected": _l("Không duyệt"),
    "withdrawn": _l("Đã rút"),
    "revoked": _l("Đã thu hồi"),
}
# Where a version's preview and thumbnail stand: made by the worker after the upload answers.
RENDITIONS_STATES = {
    "pending": _l("Đang tạo ảnh xem trước"),
    "ready": _l("Đã có ảnh xem trước"),
    "failed": _l("Không tạo được ảnh xem trước"),
}
SITE_TYPES = {
    "administrative_center": _l("Trung tâm hành chính"),
    "residential_area": _l("Khu dân cư"),
    "main_road": _l("Trục đường chính"),
    "public_square": _l("Quảng trường, công viên"),
    "school_cultural_house": _l("Trường học, nhà văn hóa"),
    "other": _l("Khác"),
}

submission_slogans = sa.Table(
    "submission_slogans",
    Base.metadata,
    sa.Column(
        "submission_id", sa.ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("slogan_id", sa.ForeignKey("slogans.id"), primary_key=True),
)


class Submission(Base):
    __tablename__ = "submissions"
    __table_args__ = (
        enum_check("format", FORMATS),
        enum_check("scope", SCOPES),
        enum_check("status", STATUSES),
        sa.CheckConstraint("width_cm > 0 AND height_cm > 0", name="size_positive"),
        sa.Index("ix_submissions_status_submitted_at", "status", "submitted_at"),
        # The review queue: only waiting submissions, the earliest due first, then the oldest.
        sa.Index(
            "ix_submissions_queue",
            "due_on",
            "submitted_at",
            "id",
            postgresql_where=sa.text("status IN ('submitted', 'in_review')"),
            sqlite_where=sa.text("status IN ('submitted', 'in_review')"),
        ),
        sa.Index("ix_submissions_unit_id_updated_at", "unit_id", "updated_at"),
        # A unit's submissions in one state: the navigation's "cần sửa" count on every page.
        sa.Index("ix_submissions_unit_id_status", "unit_id", "status"),
        # Search as people type (registry.search): trigrams make LIKE '%…%' use an index.
        sa.Index(
            "ix_submissions_search_text_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    assignee_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    title: so.Mapped[str] = so.mapped_column(sa.String(300))
    format: so.Mapped[str] = so.mapped_column(sa.String(16))
    scope: so.Mapped[str] = so.mapped_column(sa.String(16), default="unit")
    width_cm: so.Mapped[float]
    height_cm: so.Mapped[float]
    other_text: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # Folded title, texts, addresses and codes, kept by registry.search.
    search_text: so.Mapped[str] = so.mapped_column(sa.Text, default="", server_default="")
    # Only registry.workflow assigns this column.
    status: so.Mapped[str] = so.mapped_column(sa.String(24), default="draft")
    lock_version: so.Mapped[int] = so.mapped_column(default=1)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: so.Mapped[datetime | None]
    decided_at: so.Mapped[datetime | None]
    # While waiting for review, the day it is due; after a request for changes, the day the
    # designer should answer by; otherwise none. Kept by registry.duedates.
    due_on: so.Mapped[date | None] = so.mapped_column(index=True)

    __mapper_args__ = {"version_id_col": lock_version}

    unit: so.Mapped[Unit] = so.relationship()
    campaign: so.Mapped[Campaign] = so.relationship()
    created_by: so.Mapped[User] = so.relationship(foreign_keys=[created_by_id])
    assignee: so.Mapped[User | None] = so.relationship(foreign_keys=[assignee_id])
    slogans: so.Mapped[list[Slogan]] = so.relationship(
        secondary=submission_slogans, order_by=Slogan.position
    )
    versions: so.Mapped[list[ArtworkVersion]] = so.relationship(
        back_populates="submission", order_by="ArtworkVersion.number"
    )
    placements: so.Mapped[list[Placement]] = so.relationship(
        back_populates="submission", order_by="Placement.id", cascade="all, delete-orphan"
    )

    @property
    def latest_version(self) -> ArtworkVersion | None:
        return self.versions[-1] if self.versions else None

    def takes_placement_in(self, unit_id: int) -> bool:
        """Whether the artwork may stand in that unit: a unit's own submission only there."""
        return self.scope != "unit" or unit_id == self.unit_id

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def format_label(self) -> str:
        return FORMATS[self.format]

    @property
    def scope_label(self) -> str:
        return SCOPES[self.scope]

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.status}>"


class ArtworkVersion(Base):
    """One uploaded artwork file of a submission; never overwritten."""

    __tablename__ = "artwork_versions"
    __table_args__ = (
        sa.UniqueConstraint("submission_id", "number"),
        sa.UniqueConstraint("submission_id", "sha256"),
        enum_check("renditions_state", RENDITIONS_STATES),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    submission_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("submissions.id"))
    number: so.Mapped[int]
    uploaded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # The original, as uploaded.
    storage_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    size_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    original_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    # What the registry learned from the file.
    image_format: so.Mapped[str] = so.mapped_column(sa.String(8))
    width_px: so.Mapped[int]
    height_px: so.Mapped[int]
    color_mode: so.Mapped[str] = so.mapped_column(sa.String(16))
    bit_depth: so.Mapped[int] = so.mapped_column(default=8)
    has_icc_profile: so.Mapped[bool] = so.mapped_column(default=False)
    icc_description: so.Mapped[str | None] = so.mapped_column(sa.String(200))
    dpi_x: so.Mapped[float | None]
    dpi_y: so.Mapped[float | None]
    # The WebP renditions' keys; the objects exist once renditions_state is "ready"
    # (registry.submissions.renditions), and renditions_error says why when "failed".
    preview_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    thumb_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    renditions_state: so.Mapped[str] = so.mapped_column(
        sa.String(16), default="pending", server_default="ready"
    )
    renditions_error: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # The print file, stored as-is and never rendered.
    print_key: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    print_sha256: so.Mapped[str | None] = so.mapped_column(sa.String(64))
    print_size_bytes: so.Mapped[int | None] = so.mapped_column(sa.BigInteger)
    print_content_type: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    print_name: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    print_kind: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    # The deep-zoom pyramid's .dzi in the uploads area, once cut (registry.submissions.tiles).
    tiles_key: so.Mapped[str | None] = so.mapped_column(sa.String(400))
    # What the designer says changed in this version, written when resubmitting it.
    change_note: so.Mapped[str | None] = so.mapped_column(sa.Text)

    submission: so.Mapped[Submission] = so.relationship(back_populates="versions")
    uploaded_by: so.Mapped[User] = so.relationship()

    @property
    def label(self) -> str:
        return f"v{self.number}"

    @property
    def renditions_ready(self) -> bool:
        return self.renditions_state == "ready"

    def rendition_key(self, rendition: str) -> str:
        """The storage key of the version's WebP "preview" or "thumb"."""
        return {"preview": self.preview_key, "thumb": self.thumb_key}[rendition]

    def __repr__(self) -> str:
        return f"<ArtworkVersion {self.submission_id} v{self.number}>"


class Placement(Base):
    """Where and when an artwork will stand."""

    __tablename__ = "placements"
    __table_args__ = (
        enum_check("site_type", SITE_TYPES),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("display_to >= display_from", name="period_ordered"),
        sa.CheckConstraint("viewing_distance_m > 0", name="viewing_distance_positive"),
        sa.Index("ix_placements_lat_lon", "lat", "lon"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    submission_id: so.Mapped[int] = so.mapped_column(
        sa.ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"), index=True)
    address: so.Mapped[str] = so.mapped_column(sa.String(400))
    lat: so.Mapped[float]
    lon: so.Mapped[float]
    site_type: so.Mapped[str] = so.mapped_column(sa.String(32))
    quantity: so.Mapped[int] = so.mapped_column(default=1)
    # Metres from which people see it; None means the site type's configured default.
    viewing_distance_m: so.Mapped[float | None]
    display_from: so.Mapped[date]
    display_to: so.Mapped[date]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    submission: so.Mapped[Submission] = so.relationship(back_populates="placements")
    unit: so.Mapped[Unit] = so.relationship()

    @property
    def site_type_label(self) -> str:
        return SITE_TYPES[self.site_type]

    def __repr__(self) -> str:
        return f"<Placement {self.id} of {self.submission_id}>"


# The trigram operator class of the search index comes with PostgreSQL's pg_trgm extension.
sa.event.listen(
    Submission.__table__,
    "before_create",
    sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)
