"""The PAdES signature of the approval document (pyHanko), where the Department configures a
certificate: REGISTRY_SIGNING_PKCS12 (path of a .p12/.pfx file) and REGISTRY_SIGNING_PASSWORD.
The visible signature goes in the document's signature space and names the signer."""

from __future__ import annotations

import io

from pyhanko import stamp
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from registry.documents.render import Rendered

FIELD_NAME = "ChuKyLanhDao"


def is_configured(config) -> bool:
    return bool(config.get("REGISTRY_SIGNING_PKCS12"))


def _signer(config) -> signers.SimpleSigner:
    password = config.get("REGISTRY_SIGNING_PASSWORD") or ""
    signer = signers.SimpleSigner.load_pkcs12(
        config["REGISTRY_SIGNING_PKCS12"], passphrase=password.encode() or None
    )
    if signer is None:
        raise RuntimeError(
            "Không đọc được chứng thư số REGISTRY_SIGNING_PKCS12 (sai tệp hoặc sai mật khẩu)."
        )
    return signer


def sign(rendered: Rendered, signer_name: str, config) -> bytes:
    """Sign the document PAdES (B-B) with the configured certificate; the visible signature
    field covers the signature space, where the layout printed the signer and the time."""
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
        reason="Ký duyệt giấy chấp thuận",
    )
    # The signer's name and the signing time are printed in the signature space by the
    # layout (in the document's own font, which covers Vietnamese); the field draws a frame.
    style = stamp.TextStampStyle(stamp_text="", border_width=1)
    out = io.BytesIO()
    signers.PdfSigner(metadata, signer=_signer(config), stamp_style=style).sign_pdf(
        writer, output=out
    )
    return out.getvalue()


def signature_state(pdf: bytes, config) -> str:
    """Whether the document's signature holds: "valid" when it carries an intact signature
    by the configured certificate (or one chaining to it) covering the whole file, "invalid"
    when it carries a broken or foreign one, "unsigned" when it carries none."""
    reader = PdfFileReader(io.BytesIO(pdf))
    if not reader.embedded_signatures:
        return "unsigned"
    roots = []
    if is_configured(config):
        signer = _signer(config)
        roots = [signer.signing_cert, *signer.cert_registry]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    for signature in reader.embedded_signatures:
        status = validate_pdf_signature(signature, context)
        if not (
            status.intact
            and status.valid
            and status.trusted
            and status.coverage.name in ("ENTIRE_FILE",)
        ):
            return "invalid"
    return "valid"
