"""The displays as GeoJSON, for the map page and GET /api/v1/placements.geojson: one statement."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import url_for

from registry.auth.models import User
from registry.displays.lifecycle import state_expression
from registry.displays.models import (
    BAD_CONDITIONS,
    CONDITIONS,
    DISPLAY_STATES,
    Display,
    DisplayPhoto,
    DisplayRecord,
)
from registry.displays.queries import DisplayFilters, display_select
from registry.extensions import db
from registry.i18n import day
from registry.library.models import ApprovedAsset
from registry.submissions.models import FORMATS, Placement, Submission
from registry.units.models import Unit

#: More points than a person can read on one map; the answer says when it was cut.
MAX_FEATURES = 5000


def feature_collection(user: User, day: date, filters: DisplayFilters, *, external: bool = False):
    """A GeoJSON FeatureCollection of the displays the user may see (newest first, capped)."""
    latest_photo = (
        sa.select(sa.func.max(DisplayPhoto.id))
        .join(DisplayRecord, DisplayPhoto.record_id == DisplayRecord.id)
        .where(DisplayRecord.display_id == Display.id)
        .scalar_subquery()
    )
    stmt = (
        display_select(
            user,
            day,
            filters,
            Placement.id,
            Placement.address,
            Placement.lat,
            Placement.lon,
            Placement.quantity,
            Placement.display_from,
            Placement.display_to,
            Submission.title,
            Submission.format,
            Submission.campaign_id,
            Unit.code.label("unit_code"),
            Unit.name.label("unit_name"),
            state_expression(day).label("state"),
            Display.condition,
            ApprovedAsset.code.label("asset_code"),
            latest_photo.label("photo_id"),
        )
        .join(Unit, Placement.unit_id == Unit.id)
        .outerjoin(ApprovedAsset, ApprovedAsset.submission_id == Submission.id)
        .order_by(Placement.id.desc())
        .limit(MAX_FEATURES + 1)
    )
    rows = db.session.execute(stmt).all()
    features = [_feature(row, external) for row in rows[:MAX_FEATURES]]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": len(rows) > MAX_FEATURES,
    }


def _feature(row, external: bool) -> dict:
    bad = row.condition in BAD_CONDITIONS and row.state in ("installed", "overdue")
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": {
            "id": row.id,
            "state": row.state,
            "state_label": str(DISPLAY_STATES[row.state]),
            "condition": row.condition,
            "condition_label": str(CONDITIONS[row.condition]) if row.condition else None,
            "is_bad": bad,
            "address": row.address,
            "quantity": row.quantity,
            "display_from": row.display_from.isoformat(),
            "display_to": row.display_to.isoformat(),
            "period_label": f"{day(row.display_from)} – {day(row.display_to)}",
            "title": row.title,
            "format": row.format,
            "format_label": str(FORMATS[row.format]),
            "campaign_id": row.campaign_id,
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            "asset_code": row.asset_code,
            "url": url_for("displays.detail", placement_id=row.id, _external=external),
            "asset_url": url_for("library.detail", code=row.asset_code, _external=external)
            if row.asset_code
            else None,
            "photo_url": url_for(
                "displays.photo", photo_id=row.photo_id, rendition="thumb", _external=external
            )
            if row.photo_id
            else None,
        },
    }
