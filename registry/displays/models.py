"""A display is an approved placement on site: its state, records and proof photos."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.auth.models import User
from registry.db import Base, enum_check, utcnow
from registry.submissions.models import Placement

#: Every state a display can be in; "approved" (no row yet) and "overdue" are derived.
DISPLAY_STATES = {
    "approved": _l("Đã duyệt, chưa lắp đặt"),
    "installed": _l("Đang treo/dựng"),
    "overdue": _l("Quá hạn chưa tháo dỡ"),
    "removed": _l("Đã tháo dỡ"),
}
#: The states stored in displays.state.
STORED_STATES = ("installed", "removed")
RECORD_KINDS = {
    "installation": _l("Lắp đặt"),
    "removal": _l("Tháo dỡ"),
    "inspection": _l("Kiểm tra"),
}
CONDITIONS = {
    "good": _l("Tốt"),
    "faded": _l("Phai màu"),
    "torn": _l("Rách, hư hỏng"),
    "missing": _l("Không còn tại vị trí"),
    "wrong_content": _l("Sai nội dung đã duyệt"),
}
BAD_CONDITIONS = tuple(c for c in CONDITIONS if c != "good")
GPS_CHECKS = {"pass": _l("Đúng vị trí"), "fail": _l("Xa vị trí"), "missing": _l("Không có tọa độ")}
GPS_SOURCES = {"exif": _l("tọa độ trong ảnh (EXIF)"), "device": _l("vị trí trình duyệt gửi kèm")}


class Display(Base):
    """An approved placement once something happened on site (no row: approved, not yet up)."""

    __tablename__ = "displays"
    __table_args__ = (
        enum_check("state", STORED_STATES),
        sa.CheckConstraint(
            "condition IS NULL OR condition IN "
            "('good', 'faded', 'torn', 'missing', 'wrong_content')",
            name="condition_valid",
        ),
        sa.Index("ix_displays_unit_id_state", "unit_id", "state"),
        sa.Index("ix_displays_campaign_id_state", "campaign_id", "state"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    placement_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("placements.id"), unique=True)
    # Copied from the placement and its submission, so that the dashboard counts without joins.
    unit_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("units.id"))
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id"))
    # Only registry.displays.lifecycle assigns these columns.
    state: so.Mapped[str] = so.mapped_column(sa.String(16))
    installed_at: so.Mapped[datetime | None]
    removed_at: so.Mapped[datetime | None]
    condition: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    condition_at: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    lock_version: so.Mapped[int] = so.mapped_column(default=1)

    __mapper_args__ = {"version_id_col": lock_version}

    placement: so.Mapped[Placement] = so.relationship()
    records: so.Mapped[list[DisplayRecord]] = so.relationship(
        back_populates="display", order_by="DisplayRecord.id"
    )

    @property
    def is_in_bad_condition(self) -> bool:
        return self.condition in BAD_CONDITIONS and self.state != "removed"

    def __repr__(self) -> str:
        return f"<Display {self.id} of placement {self.placement_id} {self.state}>"


class DisplayRecord(Base):
    """One thing recorded on site: an installation, a removal or an inspection."""

    __tablename__ = "display_records"
    __table_args__ = (
        enum_check("kind", RECORD_KINDS),
        sa.CheckConstraint(
            "condition IS NULL OR condition IN "
            "('good', 'faded', 'torn', 'missing', 'wrong_content')",
            name="condition_valid",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    display_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("displays.id"), index=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    condition: so.Mapped[str | None] = so.mapped_column(sa.String(16))
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    recorded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    display: so.Mapped[Display] = so.relationship(back_populates="records")
    recorded_by: so.Mapped[User] = so.relationship()
    photos: so.Mapped[list[DisplayPhoto]] = so.relationship(
        back_populates="record", order_by="DisplayPhoto.id"
    )

    @property
    def kind_label(self) -> str:
        return RECORD_KINDS[self.kind]

    @property
    def condition_label(self) -> str:
        return CONDITIONS.get(self.condition or "", "")

    def __repr__(self) -> str:
        return f"<DisplayRecord {self.id} {self.kind} of display {self.display_id}>"


class DisplayPhoto(Base):
    """A photo taken on site, in the object store, with what its EXIF says against the placement."""

    __tablename__ = "display_photos"
    __table_args__ = (
        enum_check("gps_check", GPS_CHECKS),
        sa.CheckConstraint(
            "gps_source IS NULL OR gps_source IN ('exif', 'device')", name="gps_source_valid"
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    record_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("display_records.id"), index=True)
    uploaded_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    storage_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    size_bytes: so.Mapped[int] = so.mapped_column(sa.BigInteger)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    original_name: so.Mapped[str] = so.mapped_column(sa.String(255))
    width_px: so.Mapped[int]
    height_px: so.Mapped[int]
    preview_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    thumb_key: so.Mapped[str] = so.mapped_column(sa.String(400))
    # Evidence: when and where the camera says it was taken, and where the browser said it was.
    taken_at: so.Mapped[datetime | None]
    exif_lat: so.Mapped[float | None]
    exif_lon: so.Mapped[float | None]
    device_lat: so.Mapped[float | None]
    device_lon: so.Mapped[float | None]
    gps_source: so.Mapped[str | None] = so.mapped_column(sa.String(8))
    gps_check: so.Mapped[str] = so.mapped_column(sa.String(8))
    distance_m: so.Mapped[float | None]
    in_period: so.Mapped[bool | None]

    record: so.Mapped[DisplayRecord] = so.relationship(back_populates="photos")
    uploaded_by: so.Mapped[User] = so.relationship()

    @property
    def gps_check_label(self) -> str:
        return GPS_CHECKS[self.gps_check]

    def __repr__(self) -> str:
        return f"<DisplayPhoto {self.id} {self.gps_check}>"
