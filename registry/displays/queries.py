"""Loading displays, scoped to what the user may see: their unit's unless their role sees all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import orm as so
from werkzeug.exceptions import NotFound

from registry.auth.models import User
from registry.displays.lifecycle import state_expression, state_filter
from registry.displays.models import BAD_CONDITIONS, Display, DisplayPhoto, DisplayRecord
from registry.extensions import db
from registry.integers import int_arg, page_max
from registry.library.models import ApprovedAsset
from registry.permissions import can_view_placement_display, scope_to_user
from registry.submissions.models import Placement, Submission
from registry.units.models import Unit, in_vietnamese_order


@dataclass(frozen=True)
class DisplayFilters:
    campaign_id: int | None = None
    unit_code: str | None = None
    format: str | None = None
    state: str | None = None
    bad: bool = False  # only displays standing in bad condition

    @classmethod
    def from_args(cls, args) -> DisplayFilters:
        """Read the filters from a query string (unknown values simply match nothing)."""
        return cls(
            campaign_id=int_arg("campaign_id", source=args),
            unit_code=(args.get("unit") or args.get("unit_code") or "").strip() or None,
            format=args.get("format") or None,
            state=args.get("state") or None,
            bad=args.get("condition") == "bad",
        )


def is_display():
    """Placements that are displays: of an approved submission, or already recorded on site."""
    return sa.or_(Submission.status == "approved", Display.id.is_not(None))


def display_select(user: User, day: date, filters: DisplayFilters, *columns) -> sa.Select:
    """A select over the displays the user may see, with the filters applied."""
    stmt = (
        sa.select(*columns)
        .select_from(Placement)
        .join(Submission, Placement.submission_id == Submission.id)
        .outerjoin(Display, Display.placement_id == Placement.id)
        .where(is_display())
    )
    stmt = scope_to_user(stmt, user, Placement.unit_id)
    if filters.campaign_id:
        stmt = stmt.where(Submission.campaign_id == filters.campaign_id)
    if filters.unit_code:
        unit_id = sa.select(Unit.id).where(Unit.code == filters.unit_code).scalar_subquery()
        stmt = stmt.where(Placement.unit_id == unit_id)
    if filters.format:
        stmt = stmt.where(Submission.format == filters.format)
    if filters.state:
        stmt = stmt.where(state_filter(filters.state, day))
    if filters.bad:
        stmt = stmt.where(Display.condition.in_(BAD_CONDITIONS), Display.state == "installed")
    return stmt


def display_list(user: User, day: date, filters: DisplayFilters) -> sa.Select:
    """Rows of (placement, display, state, asset code), newest placement first."""
    return (
        display_select(
            user,
            day,
            filters,
            Placement,
            Display,
            state_expression(day).label("state"),
            ApprovedAsset.code,
        )
        .outerjoin(ApprovedAsset, ApprovedAsset.submission_id == Submission.id)
        .options(
            so.joinedload(Placement.unit),
            so.joinedload(Placement.submission).joinedload(Submission.campaign),
        )
        .order_by(Placement.id.desc())
    )


def load_visible_placement(user: User, placement_id: int) -> Placement:
    """The placement, or 404 when it does not exist or lies in a unit the user may not see."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or not can_view_placement_display(user, placement):
        raise NotFound()
    return placement


def load_display_placement(user: User, placement_id: int) -> Placement:
    """A visible placement that is a display (approved, or recorded on site), or 404."""
    placement = load_visible_placement(user, placement_id)
    has_row = db.session.scalar(sa.select(Display.id).where(Display.placement_id == placement.id))
    if placement.submission.status != "approved" and has_row is None:
        raise NotFound()
    return placement


def asset_code_of(placement: Placement) -> str | None:
    return db.session.scalar(
        sa.select(ApprovedAsset.code).where(ApprovedAsset.submission_id == placement.submission_id)
    )


def load_photo(user: User, photo_id: int) -> DisplayPhoto:
    """A site photo of a display the user may see, or 404."""
    row = db.session.execute(
        sa.select(DisplayPhoto, Placement)
        .join(DisplayRecord, DisplayPhoto.record_id == DisplayRecord.id)
        .join(Display, DisplayRecord.display_id == Display.id)
        .join(Placement, Display.placement_id == Placement.id)
        .where(DisplayPhoto.id == photo_id)
    ).first()
    if row is None or not can_view_placement_display(user, row[1]):
        raise NotFound()
    return row[0]


def local_units(user: User) -> list[Unit]:
    """The communes, wards and special zones the user follows: all of them, or their own."""
    stmt = sa.select(Unit).where(Unit.kind != "department", Unit.is_active)
    return in_vietnamese_order(db.session.scalars(scope_to_user(stmt, user, Unit.id)))


def paginate_rows(stmt: sa.Select):
    """One page of a multi-column select (page from ?page=), with the list pages' capped count."""
    from flask import current_app

    from registry.pagination import COUNT_CAP, Page

    size = current_app.config["REGISTRY_PAGE_SIZE"]
    number = int_arg("page", 1, minimum=1, maximum=page_max(size))
    cap = max(COUNT_CAP, number * size) + 1
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.limit(cap).subquery()))
    rows = list(db.session.execute(stmt.limit(size).offset((number - 1) * size)).unique())
    return Page(
        items=rows, number=number, size=size, total=min(total, cap - 1), is_capped=total >= cap
    )
