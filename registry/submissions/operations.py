"""Designer operations on submissions and placements. They flush; the request commits."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from registry.audit import record_event
from registry.auth.models import User
from registry.campaigns.models import Campaign, Slogan
from registry.clock import display_horizon, local_today
from registry.db import utcnow
from registry.error_codes import ErrorCode
from registry.exceptions import STALE_MESSAGE, Conflict, InvalidInput, NotAllowed
from registry.extensions import db
from registry.geo import in_an_giang
from registry.i18n import day
from registry.operations import apply_changes
from registry.permissions import EDITABLE_STATUSES, can_use_province_scope
from registry.submissions.models import Placement, Submission
from registry.units.models import Unit

SUBMISSION_FIELDS = (
    "title",
    "format",
    "scope",
    "width_cm",
    "height_cm",
    "other_text",
    "description",
)
PLACEMENT_FIELDS = (
    "address",
    "lat",
    "lon",
    "site_type",
    "quantity",
    "viewing_distance_m",
    "display_from",
    "display_to",
)


def ensure_editable(submission: Submission, expected_lock_version: int | None = None) -> None:
    """Refuse changes outside draft/changes requested, or from a stale form."""
    if submission.status not in EDITABLE_STATUSES:
        raise Conflict(
            _(
                "Hồ sơ đang ở trạng thái “%(status)s” nên không sửa được.",
                status=submission.status_label,
            ),
            code=ErrorCode.NOT_EDITABLE,
        )
    if expected_lock_version is not None and expected_lock_version != submission.lock_version:
        raise Conflict(STALE_MESSAGE, code=ErrorCode.STALE)


def _check_fields(user: User, campaign: Campaign, scope: str, slogans: list[Slogan]) -> None:
    if scope == "province" and not can_use_province_scope(user):
        raise NotAllowed(
            _("Chỉ các đơn vị thuộc Sở được tạo mẫu dùng chung toàn tỉnh."), code=ErrorCode.SCOPE
        )
    foreign = [s for s in slogans if s.campaign_id != campaign.id or not s.is_active]
    if foreign:
        raise InvalidInput(
            _("Khẩu hiệu đã chọn không thuộc danh mục của đợt tuyên truyền."),
            code=ErrorCode.FOREIGN_SLOGAN,
            field="slogan_ids",
        )


def create_submission(
    user: User, campaign: Campaign, slogans: list[Slogan], **fields
) -> Submission:
    """Create a draft submission of the user's unit for an open campaign."""
    if not campaign.is_open_on(local_today()):
        raise Conflict(
            _("Đợt tuyên truyền “%(title)s” hiện không mở.", title=campaign.title),
            code=ErrorCode.CAMPAIGN_CLOSED,
        )
    _check_fields(user, campaign, fields.get("scope", "unit"), slogans)
    submission = Submission(
        unit_id=user.unit_id,
        campaign=campaign,
        created_by=user,
        slogans=list(slogans),
        **{k: fields[k] for k in SUBMISSION_FIELDS if k in fields},
    )
    db.session.add(submission)
    record_event(
        user, "submission.created", submission, submission=submission, title=submission.title
    )
    return submission


def update_submission(
    user: User,
    submission: Submission,
    slogans: list[Slogan] | None = None,
    expected_lock_version: int | None = None,
    **fields,
) -> Submission:
    """Change a submission's declared facts while it is editable."""
    ensure_editable(submission, expected_lock_version)
    _check_fields(
        user,
        submission.campaign,
        fields.get("scope", submission.scope),
        slogans if slogans is not None else submission.slogans,
    )
    changed = apply_changes(submission, {k: fields[k] for k in SUBMISSION_FIELDS if k in fields})
    if slogans is not None and {s.id for s in slogans} != {s.id for s in submission.slogans}:
        changed["slogan_ids"] = [
            sorted(s.id for s in submission.slogans),
            sorted(s.id for s in slogans),
        ]
        submission.slogans = list(slogans)
    if changed:
        submission.updated_at = utcnow()
        record_event(user, "submission.updated", submission, submission=submission, changes=changed)
    return submission


def _validate_placement(
    submission: Submission, unit: Unit, lat: float, lon: float, display_from: date, display_to: date
) -> None:
    if not submission.takes_placement_in(unit.id):
        raise InvalidInput(
            _(
                "Hồ sơ dùng tại đơn vị chỉ được khai báo vị trí thuộc %(unit)s.",
                unit=submission.unit.name,
            ),
            code=ErrorCode.OUTSIDE_UNIT,
            field="unit_code",
        )
    if not in_an_giang(lat, lon):
        raise InvalidInput(
            _(
                "Tọa độ GPS không nằm trong địa giới tỉnh An Giang (kể cả Phú Quốc và Thổ Châu). "
                "Vui lòng kiểm tra lại vĩ độ, kinh độ."
            ),
            code=ErrorCode.OUTSIDE_PROVINCE,
            field="lat",
        )
    if display_to < display_from:
        raise InvalidInput(
            _("Ngày tháo dỡ phải sau hoặc bằng ngày bắt đầu treo."),
            code=ErrorCode.PERIOD_REVERSED,
            field="display_to",
        )
    if display_to < local_today():
        raise InvalidInput(
            _("Thời gian treo đã kết thúc; vui lòng khai báo thời gian sắp tới."),
            code=ErrorCode.PERIOD_OVER,
            field="display_to",
        )
    campaign = submission.campaign
    horizon = display_horizon()
    if not campaign.covers(display_from, display_to, horizon):
        if campaign.ends_on is not None:
            message = _(
                "Thời gian treo phải nằm trong thời gian của đợt (%(start)s – %(end)s).",
                start=day(campaign.starts_on),
                end=day(campaign.ends_on),
            )
        else:
            message = _(
                "Thời gian treo phải nằm trong thời gian của đợt (%(start)s – không thời hạn; "
                "vị trí treo kết thúc muộn nhất ngày %(horizon)s).",
                start=day(campaign.starts_on),
                horizon=day(horizon),
            )
        raise InvalidInput(
            message,
            code=ErrorCode.PERIOD_OUTSIDE_CAMPAIGN,
            field="display_from" if display_from < campaign.starts_on else "display_to",
        )


def add_placement(user: User, submission: Submission, unit: Unit, **fields) -> Placement:
    """Declare where and when the artwork will stand."""
    ensure_editable(submission)
    _validate_placement(
        submission, unit, fields["lat"], fields["lon"], fields["display_from"], fields["display_to"]
    )
    placement = Placement(
        submission=submission,
        unit=unit,
        **{k: fields[k] for k in PLACEMENT_FIELDS if k != "viewing_distance_m"},
        viewing_distance_m=fields.get("viewing_distance_m"),  # None: the site type's default
    )
    db.session.add(placement)
    submission.updated_at = utcnow()
    record_event(
        user, "placement.added", placement, submission=submission, address=placement.address
    )
    return placement


def update_placement(user: User, placement: Placement, unit: Unit, **fields) -> Placement:
    """Change a placement while its submission is editable."""
    submission = placement.submission
    ensure_editable(submission)
    merged = {k: fields.get(k, getattr(placement, k)) for k in PLACEMENT_FIELDS}
    _validate_placement(
        submission, unit, merged["lat"], merged["lon"], merged["display_from"], merged["display_to"]
    )
    placement.unit = unit
    for key, value in merged.items():
        setattr(placement, key, value)
    submission.updated_at = utcnow()
    record_event(
        user, "placement.updated", placement, submission=submission, address=placement.address
    )
    return placement


def delete_placement(user: User, placement: Placement) -> None:
    """Remove a placement while its submission is editable."""
    submission = placement.submission
    ensure_editable(submission)
    record_event(
        user, "placement.deleted", placement, submission=submission, address=placement.address
    )
    submission.placements.remove(placement)
    submission.updated_at = utcnow()
