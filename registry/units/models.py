"""Units: the communes, wards and special zones of An Giang, and the Department's own units."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import orm as so

from registry.db import Base, enum_check
from registry.text import sort_key

UNIT_KINDS = {
    "xa": _l("Xã"),
    "phuong": _l("Phường"),
    "dac_khu": _l("Đặc khu"),
    "department": _l("Đơn vị thuộc Sở"),
}


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (enum_check("kind", UNIT_KINDS),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    code: so.Mapped[str] = so.mapped_column(sa.String(32), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    name_folded: so.Mapped[str] = so.mapped_column(sa.String(200), index=True)
    # Without diacritics, for search as people type (kept by registry.search).
    search_name: so.Mapped[str] = so.mapped_column(sa.String(200), default="", server_default="")
    kind: so.Mapped[str] = so.mapped_column(sa.String(16))
    is_active: so.Mapped[bool] = so.mapped_column(default=True)

    @property
    def is_department(self) -> bool:
        return self.kind == "department"

    @property
    def kind_label(self) -> str:
        return UNIT_KINDS[self.kind]

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name!r}>"


def in_vietnamese_order(units) -> list[Unit]:
    """Units sorted by name as a Vietnamese reader expects ("Tân Châu" before "Thới Sơn")."""
    return sorted(units, key=lambda unit: (sort_key(unit.name), unit.code))


def unit_id_of(code: str | None):
    """The id of the unit with this code, as a subquery for filters; None for no code."""
    return sa.select(Unit.id).where(Unit.code == code).scalar_subquery() if code else None
