"""Approved artwork: store the approved copy, revoke it, and log downloads."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

import sqlalchemy as sa

from registry.audit import record_event
from registry.auth.models import User
from registry.db import utcnow
from registry.documents.issue import issue_document
from registry.extensions import db
from registry.library.models import ApprovedAsset, DownloadLog
from registry.reviews.models import Review
from registry.storage.service import get_store, track_new_object
from registry.submissions.models import Submission

CODE_PREFIX = "QLVH"


def approval_code(asset_id: int, year: int) -> str:
    return f"{CODE_PREFIX}-{year}-{asset_id:06d}"


def validity(submission: Submission) -> tuple:
    """The approval's validity: the placements' display period, else the campaign's."""
    if submission.scope == "unit" and submission.placements:
        return (
            min(p.display_from for p in submission.placements),
            max(p.display_to for p in submission.placements),
        )
    return submission.campaign.starts_on, submission.campaign.ends_on


def store_approval(user: User, submission: Submission, review: Review) -> ApprovedAsset:
    """Copy the approved version server-side into the approved bucket and record the asset.

    The copy happens before the row is committed; if the commit fails, the request's
    teardown removes the copy (see registry.storage.service).
    """
    version = review.version
    valid_from, valid_to = validity(submission)
    now = utcnow()
    asset = ApprovedAsset(
        code=f"pending-{uuid.uuid4().hex[:20]}",
        submission=submission,
        version=version,
        review_id=review.id,
        campaign_id=submission.campaign_id,
        unit_id=submission.unit_id,
        scope=submission.scope,
        storage_key="",
        sha256=version.sha256,
        size_bytes=version.size_bytes,
        content_type=version.content_type,
        print_sha256=version.print_sha256,
        valid_from=valid_from,
        valid_to=valid_to,
        approved_at=now,
        approved_by=user,
    )
    db.session.add(asset)
    db.session.flush()  # the id makes the code: unique and never reused
    asset.code = approval_code(asset.id, now.year)
    campaign, unit = submission.campaign.code, submission.unit.code
    extension = version.storage_key.rsplit(".", 1)[-1]
    asset.storage_key = f"{campaign}/{unit}/{asset.code}.{extension}"
    retain_until = (
        datetime.combine(valid_to, time.max, tzinfo=UTC) if valid_to is not None else None
    )
    if retain_until is not None and retain_until <= now:
        retain_until = None  # nothing left to protect: the display period is over
    metadata = {
        "approval-code": asset.code,
        "submission": str(submission.id),
        "unit": unit,
        "campaign": campaign,
    }
    store = get_store()
    store.copy(
        "uploads",
        version.storage_key,
        "approved",
        asset.storage_key,
        metadata=metadata,
        retain_until=retain_until,
    )
    track_new_object("approved", asset.storage_key)
    if version.print_key:
        asset.print_key = f"{campaign}/{unit}/{asset.code}-print.{version.print_kind}"
        store.copy(
            "uploads",
            version.print_key,
            "approved",
            asset.print_key,
            metadata={**metadata, "kind": "print"},
            retain_until=retain_until,
        )
        track_new_object("approved", asset.print_key)
    issue_document(
        user,
        submission,
        asset,
        key_prefix=f"{campaign}/{unit}",
        metadata=metadata,
        retain_until=retain_until,
    )
    record_event(
        user, "asset.stored", asset, submission=submission, code=asset.code, key=asset.storage_key
    )
    return asset


def revoke_assets(user: User, submission: Submission, reason: str) -> list[ApprovedAsset]:
    """Mark the submission's approved assets as revoked."""
    assets = db.session.scalars(
        sa.select(ApprovedAsset).where(
            ApprovedAsset.submission_id == submission.id, ApprovedAsset.revoked_at.is_(None)
        )
    ).all()
    for asset in assets:
        asset.revoked_at = utcnow()
        asset.revoked_by_id = user.id
        asset.revoke_reason = reason.strip()
        record_event(
            user,
            "asset.revoked",
            asset,
            submission=submission,
            code=asset.code,
            reason=asset.revoke_reason,
        )
    return list(assets)


def log_download(user: User, asset: ApprovedAsset, via: str, remote_addr: str = "") -> None:
    """Record who downloaded which approved file, and when."""
    db.session.add(DownloadLog(asset=asset, user=user, via=via, remote_addr=remote_addr[:64]))
    record_event(user, "asset.downloaded", asset, unit_id=asset.unit_id, code=asset.code, via=via)
