"""Units as the lists' filters show them."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.refcache import UnitChoice, cached
from registry.units.models import Unit, in_vietnamese_order


def active_unit_choices() -> tuple[UnitChoice, ...]:
    """The active units in Vietnamese order, for a list's filter (cached per process)."""

    def load() -> tuple[UnitChoice, ...]:
        units = in_vietnamese_order(db.session.scalars(sa.select(Unit).where(Unit.is_active)))
        return tuple(UnitChoice(unit.code, unit.name) for unit in units)

    return cached("active-units", load)
