"""What library and verification templates show about an asset's status."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date

from flask import abort
from flask_babel import gettext as _
from markupsafe import Markup

from registry.clock import local_today
from registry.i18n import day, number
from registry.library.models import ASSET_STATUSES, DOWNLOADABLE_STATUSES, ApprovedAsset
from registry.storage.serving import stream_object
from registry.submissions.models import FORMATS

# Reuses the submission badge colours: blue, green, grey, red.
STATUS_BADGES = {
    "upcoming": "status-submitted",
    "valid": "status-approved",
    "expired": "status-withdrawn",
    "revoked": "status-revoked",
}


def asset_status(asset: ApprovedAsset) -> str:
    """The asset's state today (one of ASSET_STATUSES): computed, never stored."""
    return asset.status_on(local_today())


def status_badge_class(asset: ApprovedAsset) -> str:
    return STATUS_BADGES[asset_status(asset)]


def status_label(asset: ApprovedAsset) -> str:
    return str(ASSET_STATUSES[asset_status(asset)])


def validity_text(asset: ApprovedAsset) -> str:
    """The validity period in the reader's language, e.g. "01/03/2026 – 31/03/2026", or "from
    1 Jan 2026, no end date" when it has none."""
    if asset.valid_to is None:
        return _("từ %(day)s, không thời hạn", day=day(asset.valid_from))
    return f"{day(asset.valid_from)} – {day(asset.valid_to)}"


def validity_texts() -> Callable[[ApprovedAsset], str]:
    """validity_text for one page: each day written once (Babel's formatting was a large
    share of a list page's time, and a page's periods share their days)."""
    written = functools.cache(day)

    def text(asset: ApprovedAsset) -> str:
        if asset.valid_to is None:
            return _("từ %(day)s, không thời hạn", day=written(asset.valid_from))
        return f"{written(asset.valid_from)} – {written(asset.valid_to)}"

    return text


def list_helpers(today: date) -> dict:
    """What the library's list shows of each row, prepared once per page: the state badges,
    the sizes and the validity periods, each written once."""
    return {
        "today": today,
        "state_badges": {
            code: Markup('<span class="badge {}">{}</span>').format(STATUS_BADGES[code], label)
            for code, label in ASSET_STATUSES.items()
        },
        "page_number": functools.cache(number),
        "validity_text": validity_texts(),
    }


def template_helpers() -> dict:
    """Names every library and verification template may use."""
    return {
        "asset_status": asset_status,
        "status_badge_class": status_badge_class,
        "status_label": status_label,
        "validity_text": validity_text,
        "asset_statuses": ASSET_STATUSES,
        "downloadable_statuses": DOWNLOADABLE_STATUSES,
        "formats": FORMATS,
    }


def approval_document_response(asset):
    """The asset's approval document as a PDF attachment; 404 for an approval issued before
    documents were."""
    if not asset.document_key:
        abort(
            404,
            description=_("Mẫu %(code)s được duyệt trước khi có giấy chấp thuận.", code=asset.code),
        )
    return stream_object(
        "approved",
        asset.document_key,
        content_type="application/pdf",
        filename=f"{asset.code}-giay-chap-thuan.pdf",
    )
