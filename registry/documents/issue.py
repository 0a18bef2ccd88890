"""Issue the approval document with an approval: number it, lay it out, sign it where a
certificate is configured, and keep it in the approved bucket under the artwork's retention."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from flask_babel import force_locale

from registry.audit import record_event
from registry.auth.models import User
from registry.clock import local_date
from registry.db import utcnow
from registry.documents import numbering, signing
from registry.documents.render import Facts, Placement, artwork_jpeg, render
from registry.library.models import ApprovedAsset
from registry.library.qr import verify_url
from registry.permissions import can_sign
from registry.storage.service import get_store, track_new_object
from registry.submissions.models import Submission

CONTENT_TYPE = "application/pdf"


def _in_vietnamese(label) -> str:
    """A translatable label as the approval document writes it: in Vietnamese (ND 30/2020),
    whoever signs it."""
    with force_locale("vi"):
        return str(label)


def legal_basis(text: str) -> list[str]:
    """The campaign's documents, one "Căn cứ …;" per line, as the format asks."""
    lines = []
    for raw in re.split(r"[;\n]", text):
        line = raw.strip().rstrip(".").strip()
        if not line:
            continue
        # The approval document's legal wording (Vietnamese by design, ND 30/2020); document
        # names keep their capital: Căn cứ Kết luận …
        if not line.lower().startswith("căn cứ"):  # not interface: the approval document
            line = "Căn cứ " + line  # not interface: the approval document
        lines.append(line + ";")
    return lines


def signer_title(user: User) -> str:
    """The signer's title as the document and the verification page print it: a head of
    division signs under REGISTRY_DOCUMENT_SIGNER_TITLE, anyone else under their role."""
    if can_sign(user):
        return current_app.config["REGISTRY_DOCUMENT_SIGNER_TITLE"]
    return user.role_label.upper()


def document_state(asset: ApprovedAsset) -> str | None:
    """The stored document's state for the public: None (approved before documents were
    issued), "altered" (its bytes no longer match the recorded sha256), or its signature's
    state ("valid", "invalid", "unsigned")."""
    if not asset.document_key:
        return None
    with get_store().open("approved", asset.document_key) as chunks:
        pdf = b"".join(chunks)
    if hashlib.sha256(pdf).hexdigest() != asset.document_sha256:
        return "altered"
    return signing.signature_state(pdf, current_app.config)


def _public_address(code: str) -> str:
    """The verification address; outside a request (the command line) from
    REGISTRY_PUBLIC_URL, else the local default."""
    if has_request_context():
        return verify_url(code)
    base = current_app.config.get("REGISTRY_PUBLIC_URL") or "http://localhost"
    with current_app.test_request_context(base_url=base):
        return verify_url(code)


def facts_of(asset: ApprovedAsset, submission: Submission, signer: User) -> Facts:
    store = get_store()
    version = asset.version
    picture = None
    if version.preview_key:
        with store.open("uploads", version.preview_key) as chunks:
            picture = artwork_jpeg(b"".join(chunks))
    units = [submission.unit.name] + sorted(
        {p.unit.name for p in submission.placements} - {submission.unit.name}
    )
    return Facts(
        number_label=asset.document_label,
        issued_on=local_date(asset.approved_at),
        code=asset.code,
        unit=submission.unit.name,
        campaign=submission.campaign.title,
        legal_basis=legal_basis(submission.campaign.legal_basis),
        format_label=_in_vietnamese(submission.format_label),
        size_label=f"{submission.width_cm:g} × {submission.height_cm:g} cm",
        slogans=[s.text for s in submission.slogans],
        placements=[
            Placement(
                p.address, p.unit.name, p.lat, p.lon, p.display_from, p.display_to, p.quantity
            )
            for p in submission.placements
        ]
        if submission.scope == "unit"
        else [],
        valid_from=asset.valid_from,
        valid_to=asset.valid_to,
        signer_name=signer.display_name,
        signer_title=signer_title(signer),
        verify_url=_public_address(asset.code),
        artwork_jpeg=picture,
        recipients=units,
        signed=signing.is_configured(current_app.config),
        signed_at=utcnow().astimezone(ZoneInfo(current_app.config["REGISTRY_TIMEZONE"]))
        if signing.is_configured(current_app.config)
        else None,
    )


def issue_document(
    user: User,
    submission: Submission,
    asset: ApprovedAsset,
    *,
    key_prefix: str,
    metadata: dict[str, str],
    retain_until: datetime | None,
) -> None:
    """Number, render, sign and store the approval document of a new approved asset."""
    config = current_app.config
    year = local_date(asset.approved_at).year
    asset.document_year = year
    asset.document_number = numbering.next_number(year)
    asset.document_label = numbering.label(asset.document_number, year)
    rendered = render(facts_of(asset, submission, user), config)
    pdf = rendered.pdf
    certificate = None
    if signing.is_configured(config):
        pdf, certificate = signing.sign(rendered, user.display_name, config)
        asset.document_signed = True
    asset.document_key = f"{key_prefix}/{asset.code}-chap-thuan.pdf"
    asset.document_sha256 = hashlib.sha256(pdf).hexdigest()
    asset.document_size_bytes = len(pdf)
    # The store's put has no retention: write beside the uploads, copy into the approved
    # bucket with the artwork's retention (as the artwork itself gets there), drop the draft.
    store = get_store()
    draft = f"documents/{asset.code}.pdf"
    store.put(
        "uploads",
        draft,
        io.BytesIO(pdf),
        size=len(pdf),
        content_type=CONTENT_TYPE,
        sha256=asset.document_sha256,
    )
    track_new_object("uploads", draft)
    store.copy(
        "uploads",
        draft,
        "approved",
        asset.document_key,
        metadata={**metadata, "kind": "approval-document", "number": asset.document_label},
        retain_until=retain_until,
    )
    track_new_object("approved", asset.document_key)
    store.delete("uploads", draft)
    record_event(
        user,
        "document.issued",
        asset,
        submission=submission,
        code=asset.code,
        number=asset.document_label,
        sha256=asset.document_sha256,
        signed=asset.document_signed,
        **({"certificate": certificate.fingerprint} if certificate else {}),
    )
