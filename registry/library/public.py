"""Public verification of an approval code: anyone, signed in or not, may check a panel.

It shows what a citizen needs to trust a panel on the street and nothing more: who signed the
approval (title and name, as the approval document prints them), its number, where and when
the panel may stand, and whether the document's signature holds; no other user names, no
internal ids, no storage keys, no download link.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from registry.clock import local_date
from registry.documents.issue import document_state, signer_title
from registry.library.models import ASSET_STATUSES, ApprovedAsset
from registry.library.presenters import asset_status, template_helpers
from registry.library.queries import asset_by_code, normalise_code
from registry.ratelimit import limiter, verify_limit
from registry.storage.serving import rendition_response

bp = Blueprint("verify", __name__)
bp.context_processor(template_helpers)


def public_facts(asset: ApprovedAsset) -> dict:
    """Everything the public may know about an approval (the page and the API share it)."""
    submission = asset.submission
    status = asset_status(asset)
    return {
        "code": asset.code,
        "status": status,
        "status_label": str(ASSET_STATUSES[status]),
        "unit_name": asset.unit.name,
        "campaign_title": asset.campaign.title,
        "format": submission.format,
        "format_label": submission.format_label,
        "width_cm": submission.width_cm,
        "height_cm": submission.height_cm,
        "valid_from": asset.valid_from,
        "valid_to": asset.valid_to,
        "revoked_on": local_date(asset.revoked_at) if asset.revoked_at else None,
        "approved_on": local_date(asset.approved_at),
        "revoke_reason": asset.revoke_reason if asset.revoked_at else "",
        # The full name as printed on the document; never the user name.
        "approver_name": asset.approved_by.full_name,
        "approver_title": signer_title(asset.approved_by),
        "document_number": asset.document_label,
        "document_state": document_state(asset),
        "placements": [
            {
                "address": p.address,
                "unit_name": p.unit.name,
                "lat": p.lat,
                "lon": p.lon,
                "display_from": p.display_from,
                "display_to": p.display_to,
            }
            for p in submission.placements
        ]
        if asset.scope == "unit"
        else [],
    }


@bp.route("/")
def lookup():
    """A form to type a code; sends the visitor on to its page."""
    code = normalise_code(request.args.get("code", ""))
    if code:
        return redirect(url_for("verify.page", code=code))
    return render_template("verify/lookup.html")


@bp.route("/<code>")
@limiter.shared_limit(verify_limit, scope="verify")
def page(code: str):
    normalised = normalise_code(code)
    if normalised and normalised != code:
        return redirect(url_for("verify.page", code=normalised), 301)
    asset = asset_by_code(code)
    if asset is None:
        return render_template("verify/not_found.html", code=code), 404
    return render_template("verify/page.html", facts=public_facts(asset))


@bp.route("/<code>/thumb.webp")
@limiter.shared_limit(verify_limit, scope="verify-thumbnail")
def thumbnail(code: str):
    """The approved artwork's thumbnail: public by design, like the panel in the street."""
    asset = asset_by_code(normalise_code(code))
    if asset is None:
        return render_template("verify/not_found.html", code=code), 404
    return rendition_response(asset.version, "thumb", "public, max-age=300")
