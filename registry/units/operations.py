"""Admin operations on units: add a Department unit, rename, deactivate.

They only flush; the request commits once. Every change writes an audit event.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from registry.audit import record_event
from registry.auth.models import User
from registry.exceptions import Conflict, InvalidInput
from registry.extensions import db
from registry.operations import apply_changes, checked_code, exists, flush_unique, switch
from registry.text import name_search_key, nfc_one_line
from registry.units.models import Unit

DEPARTMENT_CODE = re.compile(r"SVHTT-[A-Z0-9]+(?:-[A-Z0-9]+)*")


# Units


def _unit_name(name: str, unit: Unit | None = None) -> str:
    name = nfc_one_line(name)
    if not name:
        raise InvalidInput(_("Vui lòng nhập tên đơn vị."), field="name")
    if len(name) > 200:
        raise InvalidInput(_("Tên đơn vị tối đa 200 ký tự."), field="name")
    stmt = sa.select(Unit).where(Unit.name_folded == name_search_key(name))
    if unit is not None:
        stmt = stmt.where(Unit.id != unit.id)
    same = db.session.scalar(stmt.limit(1))
    if same is not None:
        raise Conflict(
            _("Đã có đơn vị “%(name)s” (mã %(code)s).", name=same.name, code=same.code),
            field="name",
        )
    return name


def create_unit(actor: User, code: str, name: str) -> Unit:
    """Add one of the Department's own units (kind department, code SVHTT-…)."""
    code = checked_code(
        code,
        DEPARTMENT_CODE,
        _(
            "Mã đơn vị thuộc Sở có dạng SVHTT-XXX (chữ không dấu, số, gạch ngang; tối đa "
            "32 ký tự), ví dụ SVHTT-TTVH."
        ),
    )
    message = _("Mã đơn vị “%(code)s” đã được dùng.", code=code)
    if exists(sa.select(Unit.id).where(Unit.code == code)):
        raise Conflict(message, field="code")
    name = _unit_name(name)
    unit = Unit(code=code, name=name, name_folded=name_search_key(name), kind="department")
    db.session.add(unit)
    flush_unique(message, "code")
    record_event(actor, "unit.created", unit, unit_id=unit.id, code=code, name=name)
    return unit


def rename_unit(actor: User, unit: Unit, name: str) -> dict:
    """Change a unit's name (its code, the key, stays); return what changed."""
    name = _unit_name(name, unit)
    changes = apply_changes(unit, {"name": name})
    if changes:
        unit.name_folded = name_search_key(name)
        record_event(actor, "unit.renamed", unit, unit_id=unit.id, code=unit.code, changes=changes)
    return changes


def set_unit_active(actor: User, unit: Unit, active: bool) -> None:
    """Stop offering a unit in forms, or offer it again; its users keep their unit."""
    actions = ("unit.deactivated", "unit.activated")
    switch(actor, unit, "is_active", active, actions, unit_id=unit.id, code=unit.code)
