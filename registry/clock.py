"""Days and times as the Department lives them: in REGISTRY_TIMEZONE, while the database keeps
UTC. Every conversion between the two is here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from registry.db import utcnow

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def _zone() -> ZoneInfo:
    name = current_app.config["REGISTRY_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local_today() -> date:
    """Today in REGISTRY_TIMEZONE: display periods and validity end at local midnight."""
    return utcnow().astimezone(_zone()).date()


def local_date(moment: datetime) -> date:
    """The calendar day of a stored UTC time in the registry's time zone."""
    return moment.astimezone(_zone()).date()


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored UTC time as people read it, in the registry's time zone; "" for none."""
    if value is None:
        return ""
    return value.astimezone(_zone()).strftime(fmt)
