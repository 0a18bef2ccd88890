"""The map of displays, the dashboard and the coverage report."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.campaigns.models import Campaign
from registry.clock import local_today as today
from registry.displays.charts import format_chart
from registry.displays.dashboard import build_dashboard
from registry.displays.geojson import feature_collection
from registry.displays.queries import DisplayFilters
from registry.displays.report import MAX_RANGE_DAYS, coverage_rows, display_rows
from registry.displays.views import bp, filter_choices
from registry.displays.xlsx import coverage_workbook
from registry.error_codes import ErrorCode
from registry.exceptions import InvalidInput
from registry.extensions import db
from registry.integers import int_arg
from registry.permissions import can_view_dashboard, require
from registry.security import CSP
from registry.storage import content_disposition
from registry.submissions.models import FORMATS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/map")
def map_page():
    """The map: every display the user may see, coloured by state, with the list's filters."""
    tiles = current_app.config["REGISTRY_MAP_TILES"] or ""
    response = current_app.make_response(
        render_template(
            "displays/map.html",
            tiles=tiles,
            attribution=current_app.config["REGISTRY_MAP_ATTRIBUTION"] or "",
            data_url=url_for("displays.map_data", **request.args),
            **filter_choices(),
        )
    )
    origin = _origin(tiles)
    if origin:
        # Tiles are images from the configured server; nothing else is let in.
        response.headers["Content-Security-Policy"] = CSP.replace(
            "img-src 'self' data: blob:", f"img-src 'self' data: blob: {origin}"
        )
    return response


def _origin(template: str) -> str | None:
    parts = urlsplit(template.replace("{s}", "a"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    host = urlsplit(template).netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


@bp.route("/map/placements.geojson")
def map_data():
    """The map's points for the signed-in page (the API serves the same with a token)."""
    body = feature_collection(current_user, today(), DisplayFilters.from_args(request.args))
    response = current_app.response_class(
        current_app.json.dumps(body), mimetype="application/geo+json"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/notices")
def notices():
    """The reminders' old page: reminders are notifications now, listed with the others."""
    return redirect(url_for("notifications.index"), code=301)


@bp.route("/dashboard")
def dashboard():
    """Per campaign: coverage of units, displays by state and format, overdue, bad condition,
    review turnaround; every figure links to the list behind it."""
    require(can_view_dashboard(current_user))
    choices = filter_choices()
    campaigns = choices["campaigns"]
    if not campaigns:
        return render_template("displays/dashboard.html", data=None, **choices)
    wanted = int_arg("campaign_id")
    campaign = next((c for c in campaigns if c.id == wanted), campaigns[0])
    data = build_dashboard(current_user, campaign.id, today())
    return render_template(
        "displays/dashboard.html",
        data=data,
        campaign=campaign,
        chart=format_chart(data),
        formats=FORMATS,
        today=today(),
        **choices,
    )


def report_period(args):
    """The campaign and date range of a report request, or a 4xx with the reason."""
    campaign = db.session.get(Campaign, int_arg("campaign_id", 0, source=args))
    if campaign is None:
        raise InvalidInput(
            _("Vui lòng chọn đợt tuyên truyền."),
            code=ErrorCode.UNKNOWN_CAMPAIGN,
            field="campaign_id",
        )
    try:
        start = date.fromisoformat(args.get("from") or "")
        end = date.fromisoformat(args.get("to") or "")
    except ValueError:
        raise InvalidInput(
            _("Vui lòng nhập khoảng ngày hợp lệ (from, to dạng năm-tháng-ngày)."), field="from"
        ) from None
    if not (start.year >= 2000 and end.year <= 2100):
        raise InvalidInput(
            _("Khoảng ngày phải nằm trong các năm 2000–2100."),
            code=ErrorCode.REPORT_RANGE,
            field="from",
        )
    if end < start:
        raise InvalidInput(
            _("Ngày kết thúc phải sau ngày bắt đầu."), code=ErrorCode.PERIOD_REVERSED, field="to"
        )
    if (end - start).days > MAX_RANGE_DAYS:
        raise InvalidInput(_("Khoảng ngày tối đa 10 năm."), code=ErrorCode.REPORT_RANGE, field="to")
    return campaign, start, end


@bp.route("/reports/coverage.xlsx")
def coverage_xlsx():
    """The periodic report of a campaign over a date range, as an XLSX workbook."""
    require(can_view_dashboard(current_user))
    campaign, start, end = report_period(request.args)
    rows, totals = coverage_rows(current_user, campaign.id, start, end)
    body = coverage_workbook(
        campaign.title,
        start,
        end,
        rows,
        totals,
        display_rows(current_user, campaign.id, start, end),
    )
    response = current_app.response_class(body, mimetype=XLSX)
    # The file is named in the reader's language, like its sheets.
    name = _(
        "bao-cao-co-dong-%(campaign)s-%(start)s-%(end)s.xlsx",
        campaign=campaign.code,
        start=start.strftime("%Y%m%d"),
        end=end.strftime("%Y%m%d"),
    )
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Cache-Control"] = "private, no-store"
    return response
