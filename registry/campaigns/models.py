"""Campaigns, their approved slogans, and the versioned review checklist."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm as so

from registry.db import Base, enum_check, utcnow

CHECKLIST_GROUPS = {
    "CT": "Đúng định hướng chính trị",
    "TP": "Thuần phong mỹ tục",
    "MQ": "Mỹ quan đô thị",
    "PL": "Quy định pháp luật",
}
# How a campaign's submissions are decided.
SIGNOFF_STEPS = {
    1: "Một bước: chuyên viên thẩm định quyết định",
    2: "Hai bước: chuyên viên đề xuất, lãnh đạo phòng ký",
}
DEFAULT_REVIEW_DAYS = 5
DEFAULT_ANSWER_DAYS = 10
MAX_DUE_DAYS = 60
# The province's own calendar (registry.workdays): an extra day off, or a weekend day worked.
CALENDAR_DAY_KINDS = {"off": "Ngày nghỉ thêm", "work": "Ngày làm bù"}
CHECK_KINDS = {"auto": "Tự động", "semi": "Bán tự động", "human": "Người thẩm định"}


class ChecklistVersion(Base):
    """One edition of the checklist; reviews keep the edition they were made with."""

    __tablename__ = "checklist_versions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    label: so.Mapped[str] = so.mapped_column(sa.String(200), unique=True)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    items: so.Mapped[list[ChecklistItem]] = so.relationship(
        back_populates="version", order_by="ChecklistItem.position"
    )

    def __repr__(self) -> str:
        return f"<ChecklistVersion {self.label!r}>"


class ChecklistItem(Base):
    __tablename__ = "checklist_items"
    __table_args__ = (
        sa.UniqueConstraint("version_id", "code"),
        enum_check("group_code", CHECKLIST_GROUPS),
        enum_check("check_kind", CHECK_KINDS),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("checklist_versions.id"))
    code: so.Mapped[str] = so.mapped_column(sa.String(16))
    group_code: so.Mapped[str] = so.mapped_column(sa.String(2))
    position: so.Mapped[int]
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    gloss: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    check_kind: so.Mapped[str] = so.mapped_column(sa.String(8))
    check_note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    legal_source: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    source_confidence: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    is_required: so.Mapped[bool] = so.mapped_column(default=True)
    allows_na: so.Mapped[bool] = so.mapped_column(default=True)

    version: so.Mapped[ChecklistVersion] = so.relationship(back_populates="items")

    @property
    def group_label(self) -> str:
        return CHECKLIST_GROUPS[self.group_code]

    def __repr__(self) -> str:
        return f"<ChecklistItem {self.code}>"


class Campaign(Base):
    __tablename__ = "campaigns"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
        sa.CheckConstraint("signoff_steps IN (1, 2)", name="signoff_steps_valid"),
        sa.CheckConstraint(
            f"review_days BETWEEN 1 AND {MAX_DUE_DAYS} "
            f"AND answer_days BETWEEN 1 AND {MAX_DUE_DAYS}",
            name="due_days_valid",
        ),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    title: so.Mapped[str] = so.mapped_column(sa.Text)
    legal_basis: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    description: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    starts_on: so.Mapped[date]
    ends_on: so.Mapped[date | None]
    is_closed: so.Mapped[bool] = so.mapped_column(default=False)
    # 1: the reviewer decides; 2: the reviewer recommends and a head of division signs.
    signoff_steps: so.Mapped[int] = so.mapped_column(default=1, server_default="1")
    # Working days (registry.workdays) a review may take, and a designer has to answer a request
    # for changes; registry.duedates turns them into each submission's due date.
    review_days: so.Mapped[int] = so.mapped_column(
        default=DEFAULT_REVIEW_DAYS, server_default=str(DEFAULT_REVIEW_DAYS)
    )
    answer_days: so.Mapped[int] = so.mapped_column(
        default=DEFAULT_ANSWER_DAYS, server_default=str(DEFAULT_ANSWER_DAYS)
    )
    checklist_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("checklist_versions.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    checklist_version: so.Mapped[ChecklistVersion] = so.relationship()
    slogans: so.Mapped[list[Slogan]] = so.relationship(
        back_populates="campaign", order_by="Slogan.position"
    )

    def is_open_on(self, day: date) -> bool:
        """Whether submissions may be made for this campaign on the given day."""
        if self.is_closed or day < self.starts_on:
            return False
        return self.ends_on is None or day <= self.ends_on

    def last_display_day(self, horizon: date) -> date:
        """The last day a placement may stand: the campaign's end, or horizon if it has none."""
        return self.ends_on if self.ends_on is not None else horizon

    def covers(self, start: date, end: date, horizon: date) -> bool:
        """Whether a display period lies inside the campaign's dates; for an open-ended
        campaign it must end by horizon (see registry.clock.display_horizon)."""
        return start >= self.starts_on and end <= self.last_display_day(horizon)

    @property
    def signoff_label(self) -> str:
        return SIGNOFF_STEPS[self.signoff_steps]

    @property
    def active_slogans(self) -> list[Slogan]:
        return [s for s in self.slogans if s.is_active]

    def __repr__(self) -> str:
        return f"<Campaign {self.code}>"


class Slogan(Base):
    __tablename__ = "slogans"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "text"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    campaign_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("campaigns.id"), index=True)
    text: so.Mapped[str] = so.mapped_column(sa.Text)
    position: so.Mapped[int] = so.mapped_column(default=0)
    note: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    # The seed list is a sample; the Department replaces it with the official annex.
    is_sample: so.Mapped[bool] = so.mapped_column(default=False)
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    campaign: so.Mapped[Campaign] = so.relationship(back_populates="slogans")

    def __repr__(self) -> str:
        return f"<Slogan {self.id} {self.text[:30]!r}>"


class CalendarDay(Base):
    """A day the province's calendar differs from the national one: off, or worked."""

    __tablename__ = "calendar_days"
    __table_args__ = (enum_check("kind", CALENDAR_DAY_KINDS),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    day: so.Mapped[date] = so.mapped_column(unique=True)
    kind: so.Mapped[str] = so.mapped_column(sa.String(8))
    note: so.Mapped[str] = so.mapped_column(sa.String(300), default="")
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    @property
    def kind_label(self) -> str:
        return CALENDAR_DAY_KINDS[self.kind]

    def __repr__(self) -> str:
        return f"<CalendarDay {self.day} {self.kind}>"
