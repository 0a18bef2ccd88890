"""Days and times as the Department lives them: in REGISTRY_TIMEZONE, while the database keeps
UTC. Every conversion between the two is here."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from registry.db import utcnow

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_DISPLAY_HORIZON_YEARS = 5


def local_zone() -> ZoneInfo:
    """REGISTRY_TIMEZONE (Asia/Ho_Chi_Minh unless configured)."""
    name = current_app.config["REGISTRY_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return ZoneInfo(name)


def local_today() -> date:
    """Today in REGISTRY_TIMEZONE: display periods and validity end at local midnight."""
    return utcnow().astimezone(local_zone()).date()


def local_date(moment: datetime) -> date:
    """The calendar day of a stored UTC time in the registry's time zone."""
    return moment.astimezone(local_zone()).date()


def local_day_start(day: date, *, days_after: int = 0) -> datetime:
    """The UTC moment a local day (plus days_after days) begins: bounds of date filters."""
    moment = datetime.combine(day + timedelta(days=days_after), time.min, tzinfo=local_zone())
    return moment.astimezone(UTC)


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A stored UTC time as people read it, in the registry's time zone; "" for none."""
    if value is None:
        return ""
    return value.astimezone(local_zone()).strftime(fmt)


def display_horizon(day: date | None = None) -> date:
    """The last day a placement of an open-ended campaign may stand: REGISTRY_DISPLAY_HORIZON_
    YEARS after today (29 February falls back to the 28th)."""
    day = day or local_today()
    years = (
        int(current_app.config["REGISTRY_DISPLAY_HORIZON_YEARS"])
        if has_app_context()
        else DEFAULT_DISPLAY_HORIZON_YEARS
    )
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
