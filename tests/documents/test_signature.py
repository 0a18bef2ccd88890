"""The PAdES signature: with a configured certificate the approval document is signed, the
signature validates with pyHanko, and a modified document fails validation."""

import io

import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from registry.documents.signing import signature_state
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage.service import get_store
from tests.certificates import PASSWORD, make_ca_and_signer
from tests.factories import DEPARTMENT, UNIT_A, use_two_step_signoff


@pytest.fixture(scope="module")
def ca_and_p12():
    return make_ca_and_signer()


@pytest.fixture
def signing(app, tmp_path, ca_and_p12, monkeypatch):
    ca, p12 = ca_and_p12
    path = tmp_path / "ky-so.p12"
    path.write_bytes(p12)
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS12", str(path))
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PASSWORD", PASSWORD)
    return ca


def _signed_document(make_user, make_submission, advance):
    use_two_step_signoff()
    designer = make_user("designer", UNIT_A)
    head = make_user("head", DEPARTMENT)
    submission = make_submission(designer)
    advance(submission, "approved", designer, make_user("reviewer", DEPARTMENT), head)
    asset = db.session.scalar(sa.select(ApprovedAsset))
    with get_store().open("approved", asset.document_key) as chunks:
        return asset, head, b"".join(chunks)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _status(pdf: bytes, ca):
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    root = asn1_x509.Certificate.load(ca.public_bytes(serialization.Encoding.DER))
    return validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))


def test_a_configured_certificate_signs_the_document_pades_and_it_validates(
    app, signing, make_user, make_submission, advance
):
    asset, head, pdf = _signed_document(make_user, make_submission, advance)
    assert asset.document_signed
    status = _status(pdf, signing)
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert "Bản không ký số" not in _text(pdf)
    assert signature_state(pdf, app.config) == "valid"


def test_a_modified_document_fails_validation(app, signing, make_user, make_submission, advance):
    asset, head, pdf = _signed_document(make_user, make_submission, advance)
    # Change one character of the signed content: the number's digits.
    target = pdf.index(b"/Title")
    altered = pdf[:target] + pdf[target:].replace(b"Gi", b"Gx", 1)
    assert altered != pdf
    status = _status(altered, signing)
    assert not status.intact
    assert signature_state(altered, app.config) == "invalid"


def test_without_a_certificate_the_document_says_it_is_not_digitally_signed(
    app, make_user, make_submission, advance
):
    asset, head, pdf = _signed_document(make_user, make_submission, advance)
    assert not asset.document_signed
    assert "Bản không ký số" in _text(pdf)
    assert signature_state(pdf, app.config) == "unsigned"


def test_the_verification_page_says_the_signature_is_valid(
    app, client, signing, make_user, make_submission, advance
):
    asset, head, pdf = _signed_document(make_user, make_submission, advance)
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    assert "Hợp lệ: văn bản còn nguyên vẹn từ khi ký" in html
    assert f"{head.full_name}<br><small>TRƯỞNG PHÒNG QUẢN LÝ VĂN HÓA</small>" in html
    assert client.get(f"/api/v1/verify/{asset.code}").json["document_state"] == "valid"
