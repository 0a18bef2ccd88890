"""The PAdES signature of the approval document (pyHanko), where the Department configures a
signing key: a PKCS#12 file or a PKCS#11 token (registry/documents/keys.py). The visible
signature goes in the document's signature space and names the signer; the certificate used is
recorded, so that what it signed stays valid after it is renewed (registry/documents/trust.py)."""

from __future__ import annotations

import io

from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from registry.documents import keys, trust
from registry.documents.models import SigningCertificate
from registry.documents.render import Rendered

FIELD_NAME = "ChuKyLanhDao"


def is_configured(config) -> bool:
    return keys.mode(config) is not None


def sign(rendered: Rendered, signer_name: str, config) -> tuple[bytes, SigningCertificate]:
    """Sign the document PAdES (B-B) with the configured key; the visible signature field
    covers the signature space, where the layout printed the signer and the time. Returns the
    signed PDF and the certificate's record."""
    writer = IncrementalPdfFileWriter(io.BytesIO(rendered.pdf))
    box = tuple(int(round(v)) for v in rendered.signature_box)
    fields.append_signature_field(
        writer, fields.SigFieldSpec(FIELD_NAME, on_page=rendered.signature_page, box=box)
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name,
        location=config["REGISTRY_DOCUMENT_PLACE"],
        reason="Ký duyệt giấy chấp thuận",  # not interface: in the PDF, Vietnamese by design
    )
    # The signer's name and the signing time are printed in the signature space by the
    # layout (in the document's own font, which covers Vietnamese); the field draws a frame.
    style = stamp.TextStampStyle(stamp_text="", border_width=1)
    out = io.BytesIO()
    with keys.open_signer(config) as signer:
        signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf(writer, output=out)
        certificate = trust.record_use(signer.signing_cert)
    return out.getvalue(), certificate


def signature_state(pdf: bytes, config) -> str:
    """Whether the document's signature holds: "valid" when it carries an intact signature
    covering the whole file by a certificate the Department signed with, "invalid" when it
    carries a broken or foreign one, "unsigned" when it carries none."""
    reader = PdfFileReader(io.BytesIO(pdf))
    if not reader.embedded_signatures:
        return "unsigned"
    roots = trust.trust_roots(config)
    for signature in reader.embedded_signatures:
        # Judged as at its signing (the signed signingTime): a certificate that has expired
        # since still vouches for what it signed while it was valid.
        context = ValidationContext(
            trust_roots=roots, allow_fetching=False, moment=signature.self_reported_timestamp
        )
        status = validate_pdf_signature(signature, context)
        if not (
            status.intact
            and status.valid
            and status.trusted
            and status.coverage.name in ("ENTIRE_FILE",)
        ):
            return "invalid"
    return "valid"
