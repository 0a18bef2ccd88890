"""What the registry read on an artwork version: words with boxes, lines, and how it read them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.db import Base, enum_check, utcnow
from registry.submissions.models import ArtworkVersion

READING_STATUSES = {
    "pending": _l("Đang đọc chữ trên mẫu"),
    "done": _l("Đã đọc chữ"),
    "unavailable": _l("Không đọc được chữ (thiếu công cụ)"),
    "failed": _l("Đọc chữ bị lỗi"),
}


class TextReading(Base):
    """The text read off one artwork version (and its print file's text layer), kept with it."""

    __tablename__ = "text_readings"
    __table_args__ = (enum_check("status", READING_STATUSES),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("artwork_versions.id"), unique=True)
    job_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("jobs.id"))
    status: so.Mapped[str] = so.mapped_column(sa.String(16), default="pending")
    engine: so.Mapped[str | None] = so.mapped_column(sa.String(100))
    # [{text, conf, box: [x, y, w, h] relative, line, alts}] in reading order.
    words: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # [{text, conf, box, band, letter_px, script, words: [indices]}]
    lines: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    # Lines of the print file's text layer (PDF, SVG): [{text}], or None without one.
    text_layer: so.Mapped[list | None] = so.mapped_column(sa.JSON)
    text_layer_note: so.Mapped[str | None] = so.mapped_column(sa.Text)
    # "khmer", "cham" or both, comma-separated, where such script was found: routes the
    # submission to reviewers who read it (TP-05).
    minority_scripts: so.Mapped[str] = so.mapped_column(
        sa.String(32), default="", server_default=""
    )
    passes: so.Mapped[list] = so.mapped_column(sa.JSON, default=list)
    reason: so.Mapped[str | None] = so.mapped_column(sa.Text)
    seconds: so.Mapped[float | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    finished_at: so.Mapped[datetime | None]

    version: so.Mapped[ArtworkVersion] = so.relationship()

    @property
    def status_label(self) -> str:
        return READING_STATUSES[self.status]

    @property
    def is_pending(self) -> bool:
        return self.status == "pending"

    def __repr__(self) -> str:
        return f"<TextReading of {self.version_id} {self.status}>"
