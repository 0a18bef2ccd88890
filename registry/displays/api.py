"""The displays' JSON API: recording on site, the map's GeoJSON and the coverage report."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, fields, validate

from registry.api.auth import current_api_user
from registry.api.blueprint import ApiBlueprint
from registry.api.fields import Text
from registry.clock import local_today as today
from registry.displays.geojson import feature_collection
from registry.displays.models import CONDITIONS, DISPLAY_STATES, GPS_CHECKS
from registry.displays.operations import record_on_site
from registry.displays.queries import DisplayFilters, load_visible_placement
from registry.displays.report import coverage_rows
from registry.error_codes import ErrorCode
from registry.extensions import db
from registry.integers import DbInteger
from registry.permissions import can_view_dashboard, require
from registry.submissions.models import FORMATS

blp = ApiBlueprint(
    "api_displays",
    __name__,
    url_prefix="/api/v1",
    description=_l("Theo dõi điểm treo/dựng: lắp đặt, tháo dỡ, kiểm tra, bản đồ và báo cáo"),
)
# What recording on site can answer besides the automatic codes: the photo goes through the
# artwork's image rules.
SITE_ERRORS = (
    ErrorCode.NOT_FOUND,
    ErrorCode.FORBIDDEN,
    ErrorCode.UNKNOWN_ACTION,
    ErrorCode.INVALID_STATE,
    ErrorCode.NOT_APPROVED,
    ErrorCode.STALE,
    ErrorCode.PHOTO_REQUIRED,
    ErrorCode.BAD_POSITION,
    ErrorCode.TOO_LARGE,
    ErrorCode.BAD_NAME,
    ErrorCode.EMPTY,
    ErrorCode.UNSUPPORTED_TYPE,
    ErrorCode.UNSUPPORTED_MODE,
    ErrorCode.CORRUPT,
    ErrorCode.ANIMATED,
    ErrorCode.TOO_MANY_PIXELS,
)


class _MultipartParser(type(ApiBlueprint.ARGUMENTS_PARSER)):
    """Reads a multipart body whole: its files and its plain fields, under one schema, so that
    the OpenAPI document describes one multipart/form-data request body. Like a JSON body, it
    refuses a field its schema does not know (webargs excludes unknown "files" keys silently)."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **type(ApiBlueprint.ARGUMENTS_PARSER).DEFAULT_UNKNOWN_BY_LOCATION,
        "files": RAISE,
    }

    def load_files(self, req, schema):
        from werkzeug.datastructures import CombinedMultiDict

        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)


blp.ARGUMENTS_PARSER = _MultipartParser()


class SiteFormIn(Schema):
    photo = Upload(metadata={"description": "JPEG, PNG, WebP or TIFF taken on site"})
    lat = fields.Float(validate=validate.Range(-90, 90), metadata={"description": "browser's"})
    lon = fields.Float(validate=validate.Range(-180, 180), metadata={"description": "browser's"})
    note = Text(
        label=_l("Ghi chú"), multiline=True, load_default="", validate=validate.Length(max=2000)
    )


class InspectionFormIn(SiteFormIn):
    condition = Text(
        label=_l("Tình trạng"), required=True, validate=validate.OneOf(list(CONDITIONS))
    )


class RecordOut(Schema):
    placement_id = fields.Integer()
    kind = fields.String()
    state = fields.String(metadata={"description": " | ".join(DISPLAY_STATES)})
    condition = fields.String(allow_none=True)
    gps_check = fields.String(allow_none=True, metadata={"description": " | ".join(GPS_CHECKS)})
    gps_source = fields.String(allow_none=True, metadata={"description": "exif | device"})
    distance_m = fields.Float(allow_none=True)
    taken_at = fields.DateTime(allow_none=True)
    in_period = fields.Boolean(allow_none=True)
    recorded_at = fields.DateTime()


class GeoQuery(Schema):
    campaign_id = DbInteger(minimum=1)
    unit_code = Text(label=_l("Mã đơn vị"))
    format = Text(label=_l("Loại sản phẩm"), validate=validate.OneOf(list(FORMATS)))
    state = Text(label=_l("Tình trạng"), validate=validate.OneOf(list(DISPLAY_STATES)))
    condition = Text(
        label=_l("Tình trạng kiểm tra"),
        validate=validate.OneOf(["bad"]),
        metadata={"description": "bad: standing in bad condition"},
    )


class CoverageQuery(Schema):
    campaign_id = DbInteger(minimum=1, required=True)
    from_ = fields.Date(required=True, data_key="from")
    to = fields.Date(required=True)


def _counts():
    return fields.Dict(keys=fields.String(), values=fields.Integer())


class CoverageRowOut(Schema):
    unit_code = fields.String()
    unit_name = fields.String()
    approved = _counts()
    installed = _counts()
    removed = _counts()
    overdue = _counts()
    inspected_bad = _counts()


class CoverageOut(Schema):
    campaign_id = DbInteger(minimum=1)
    rows = fields.List(fields.Nested(CoverageRowOut))
    totals = fields.Nested(CoverageRowOut)


def _record(action: str, data: dict, placement_id: int):
    user = current_api_user()
    placement = load_visible_placement(user, placement_id)
    photo = data.get("photo")
    record = record_on_site(
        user,
        placement,
        action,
        [photo] if photo is not None else [],
        lat=data.get("lat"),
        lon=data.get("lon"),
        note=data.get("note", ""),
        condition=data.get("condition"),
    )
    db.session.commit()
    from registry.displays.lifecycle import display_of, state_of

    first = record.photos[0] if record.photos else None
    return {
        "placement_id": placement.id,
        "kind": record.kind,
        "state": state_of(placement, display_of(placement), today()),
        "condition": record.condition,
        "gps_check": first.gps_check if first else None,
        "gps_source": first.gps_source if first else None,
        "distance_m": first.distance_m if first else None,
        "taken_at": first.taken_at if first else None,
        "in_period": first.in_period if first else None,
        "recorded_at": record.created_at,
    }


@blp.route("/placements/<int:placement_id>/installation", methods=["POST"])
@blp.arguments(SiteFormIn, location="files")
@blp.response(201, RecordOut)
@blp.errors(*SITE_ERRORS)
def installation(data, placement_id):
    """Record the installation of an approved placement with a site photo (multipart)."""
    return _record("install", data, placement_id)


@blp.route("/placements/<int:placement_id>/removal", methods=["POST"])
@blp.arguments(SiteFormIn, location="files")
@blp.response(201, RecordOut)
@blp.errors(*SITE_ERRORS)
def removal(data, placement_id):
    """Record the removal of an installed display with a site photo (multipart)."""
    return _record("remove", data, placement_id)


@blp.route("/placements/<int:placement_id>/inspections", methods=["POST"])
@blp.arguments(InspectionFormIn, location="files")
@blp.response(201, RecordOut)
@blp.errors(*SITE_ERRORS)
def inspection(data, placement_id):
    """Record an inspection: condition, note and an optional photo (multipart)."""
    return _record("inspect", data, placement_id)


@blp.route("/placements.geojson")
@blp.arguments(GeoQuery, location="query")
@blp.doc(responses={200: {"description": "a GeoJSON FeatureCollection of the caller's displays"}})
def placements_geojson(query):
    """The displays the caller may see as GeoJSON points, with the map's filters."""
    filters = DisplayFilters(
        campaign_id=query.get("campaign_id"),
        unit_code=query.get("unit_code"),
        format=query.get("format"),
        state=query.get("state"),
        bad=query.get("condition") == "bad",
    )
    body = feature_collection(current_api_user(), today(), filters, external=True)
    return current_app.response_class(current_app.json.dumps(body), mimetype="application/geo+json")


@blp.route("/reports/coverage")
@blp.arguments(CoverageQuery, location="query")
@blp.response(200, CoverageOut)
@blp.errors(
    ErrorCode.FORBIDDEN,
    ErrorCode.UNKNOWN_CAMPAIGN,
    ErrorCode.PERIOD_REVERSED,
    ErrorCode.REPORT_RANGE,
)
def coverage(query):
    """Per unit and format: approved, installed, removed, overdue, inspected in bad condition."""
    from registry.displays.overview import report_period

    user = current_api_user()
    require(can_view_dashboard(user))
    campaign, start, end = report_period(request.args)
    rows, totals = coverage_rows(user, campaign.id, start, end)
    return {
        "campaign_id": campaign.id,
        "rows": [r.as_dict() for r in rows],
        "totals": totals.as_dict(),
    }
