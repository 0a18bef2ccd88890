"""What every feature's operations share: the before/after of a change for the audit log, an
on/off switch with its audit event, an existence check, and a flush that turns a
unique-constraint race into a Conflict."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from registry.audit import record_event
from registry.exceptions import Conflict, InvalidInput
from registry.extensions import db


def checked_code(code: str, pattern: re.Pattern, message: str, max_length: int = 32) -> str:
    """A code as stored: upper case, no blanks around; InvalidInput on field "code" otherwise."""
    code = code.strip().upper()
    if not pattern.fullmatch(code) or len(code) > max_length:
        raise InvalidInput(message, field="code")
    return code


def plain(value):
    """A value as the audit log's JSON holds it (dates in ISO form)."""
    return value.isoformat() if isinstance(value, date) else value


def apply_changes(obj, fields: dict) -> dict:
    """Set the fields that differ; return {name: [before, after]} for the audit log."""
    changes = {}
    for name, value in fields.items():
        before = getattr(obj, name)
        if before != value:
            changes[name] = [plain(before), plain(value)]
            setattr(obj, name, value)
    return changes


def switch(actor, obj, flag: str, value: bool, actions: tuple[str, str], **data) -> None:
    """Set a yes/no attribute and record it as actions[1] (on) or actions[0] (off) with its
    before and after; nothing happens when it already has the value."""
    if getattr(obj, flag) == value:
        return
    setattr(obj, flag, value)
    record_event(actor, actions[value], obj, **data, changes={flag: [not value, value]})


def flush_unique(message: str, field: str) -> None:
    """Flush, turning a unique-constraint race with another admin into a Conflict."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError as error:
        raise Conflict(message, field=field) from error


def exists(stmt: sa.Select) -> bool:
    """Whether the select finds at least one row."""
    return db.session.scalar(stmt.limit(1)) is not None
