"""Calendar days as the Department lives them: in the registry's time zone, not UTC."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from registry.db import utcnow

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


def local_today() -> date:
    """Today in REGISTRY_TIMEZONE: display periods and validity end at local midnight."""
    name = current_app.config["REGISTRY_TIMEZONE"] if has_app_context() else DEFAULT_TIMEZONE
    return utcnow().astimezone(ZoneInfo(name)).date()
