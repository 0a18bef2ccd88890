"""Loading approved assets, scoped to what the user may use."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy import orm as so
from werkzeug.exceptions import NotFound

from registry.auth.models import User
from registry.db import matching
from registry.extensions import db
from registry.library.models import ASSET_STATUSES, ApprovedAsset
from registry.permissions import can_download_asset, sees_all_units, visible_assets
from registry.refcache import UnitChoice, cached
from registry.search import matching_submissions
from registry.submissions.models import Submission
from registry.units.models import Unit, in_vietnamese_order, unit_id_of

# Codes as issued (QLVH-2026-000123), within their column; anything else names no asset.
APPROVAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,31}")


def normalise_code(code: str) -> str:
    """Approval codes as printed: upper case, no surrounding spaces."""
    return (code or "").strip().upper()


def asset_by_code(code: str) -> ApprovedAsset | None:
    """The asset with this approval code, whoever asks (for the public verification)."""
    if not APPROVAL_CODE.fullmatch(code):
        return None  # not a code as printed (a NUL would even break PostgreSQL's query)
    return db.session.scalar(sa.select(ApprovedAsset).where(ApprovedAsset.code == code))


def load_asset(user: User, code: str) -> ApprovedAsset:
    """The asset, or 404 when it does not exist or the user may not use it."""
    asset = asset_by_code(normalise_code(code))
    if asset is None or not can_download_asset(user, asset):
        raise NotFound()
    return asset


def asset_list(
    user: User,
    *,
    day: date,
    campaign_id: int | None = None,
    format: str | None = None,
    unit_code: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> sa.Select:
    """The assets the user may use, newest approval first, with filters."""
    stmt = (
        visible_assets(user)
        .join(Submission, ApprovedAsset.submission_id == Submission.id)
        .options(
            # What a row shows of its submission (the page and the API alike), not its texts.
            so.contains_eager(ApprovedAsset.submission).load_only(
                Submission.title, Submission.format, Submission.width_cm, Submission.height_cm
            ),
            so.joinedload(ApprovedAsset.unit),
        )
        .order_by(ApprovedAsset.approved_at.desc(), ApprovedAsset.id.desc())
    )
    return _filtered(stmt, day, campaign_id, format, unit_code, status, q)


def counted_assets(
    user: User,
    *,
    day: date,
    campaign_id: int | None = None,
    format: str | None = None,
    unit_code: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> sa.Select:
    """The rows of asset_list to count (for its pager): one per asset, in no order, reading
    only indexes where the filters allow. A locality's assets are its unit's and the
    province templates: counted as two index walks that stop at the pager's cap, where one
    OR would first gather every province template (it grew with the library)."""
    filters = (day, campaign_id, format, unit_code, status, q)
    joins = format is not None or matching_submissions(q) is not None

    def counted(*where) -> sa.Select:
        stmt = sa.select(sa.literal_column("1")).select_from(ApprovedAsset).where(*where)
        if joins:
            stmt = stmt.join(Submission, ApprovedAsset.submission_id == Submission.id)
        return _filtered(stmt, *filters)

    if sees_all_units(user):
        return counted()
    own = counted(ApprovedAsset.unit_id == user.unit_id)
    templates = counted(ApprovedAsset.scope == "province", ApprovedAsset.unit_id != user.unit_id)
    return sa.union_all(own, templates)


def _filtered(stmt, day, campaign_id, format, unit_code, status, q) -> sa.Select:
    """The library's filters on a select of assets (joined to their submissions when a
    filter reads them: the format or a search)."""
    stmt = matching(
        stmt,
        (ApprovedAsset.campaign_id, campaign_id),
        (Submission.format, format),
        (ApprovedAsset.unit_id, unit_id_of(unit_code)),
    )
    if status in ASSET_STATUSES:
        stmt = stmt.where(ApprovedAsset.has_status(status, day))
    if (found := matching_submissions(q)) is not None:
        stmt = stmt.where(found)
    return stmt


def listed_assets(stmt: sa.Select) -> sa.Select:
    """asset_list for the library page: only the columns a row shows (its state, its links,
    its validity), not the storage keys, digests and document facts of every asset."""
    return stmt.options(
        so.load_only(
            ApprovedAsset.code,
            ApprovedAsset.submission_id,
            ApprovedAsset.unit_id,
            ApprovedAsset.scope,
            ApprovedAsset.valid_from,
            ApprovedAsset.valid_to,
            ApprovedAsset.approved_at,
            ApprovedAsset.revoked_at,
        )
    )


def asset_units(user: User) -> tuple[UnitChoice, ...]:
    """The units whose assets the user may use, for the unit filter (cached per process)."""
    # EXISTS per unit walks an index; a DISTINCT over every asset grows with the library.
    has_assets = sa.select(ApprovedAsset.id).where(ApprovedAsset.unit_id == Unit.id)
    if sees_all_units(user):
        usable = has_assets.exists()
    else:
        templates = has_assets.where(ApprovedAsset.scope == "province")
        usable = sa.or_(Unit.id == user.unit_id, templates.exists())

    def load() -> tuple[UnitChoice, ...]:
        units = in_vietnamese_order(db.session.scalars(sa.select(Unit).where(usable)))
        return tuple(UnitChoice(unit.code, unit.name) for unit in units)

    return cached(("asset-units", None if sees_all_units(user) else user.unit_id), load)


def assets_by_codes(user: User, codes: list[str]) -> list[ApprovedAsset]:
    """The assets with these codes, in the given order; 404 if any is unknown or not usable."""
    return [load_asset(user, code) for code in codes]
