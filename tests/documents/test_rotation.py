"""Past certificates stay trusted: a document signed before the Department's certificate was
renewed (or moved to a token) still shows valid, one signed by a certificate the Department never
used shows invalid, and a tampered document fails whatever signed it."""

from __future__ import annotations

import hashlib
import io
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from registry.db import utcnow
from registry.documents.keys import SigningUnavailable
from registry.documents.models import SigningCertificate
from registry.documents.render import Rendered
from registry.documents.signing import sign, signature_state
from registry.documents.trust import load_certificates
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage.service import get_store
from tests.certificates import PASSWORD, CertificationAuthority
from tests.factories import DEPARTMENT, UNIT_A, use_two_step_signoff


def _use_pkcs12(app, monkeypatch, path, p12: bytes) -> None:
    path.write_bytes(p12)
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS12", str(path))
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PASSWORD", PASSWORD)


def _approve(make_user, make_submission, advance) -> ApprovedAsset:
    use_two_step_signoff()
    designer = make_user("designer", UNIT_A)
    submission = make_submission(designer)
    reviewer = make_user("reviewer", DEPARTMENT)
    advance(submission, "approved", designer, reviewer, make_user("head", DEPARTMENT))
    return db.session.scalar(
        sa.select(ApprovedAsset).where(ApprovedAsset.submission_id == submission.id)
    )


def _pdf(asset: ApprovedAsset) -> bytes:
    with get_store().open("approved", asset.document_key) as chunks:
        return b"".join(chunks)


def _replace_document(asset: ApprovedAsset, pdf: bytes) -> None:
    """What someone with write access to the store and the database could do."""
    store = get_store()
    store.delete("approved", asset.document_key, bypass_retention=True)
    store.put(
        "approved",
        asset.document_key,
        io.BytesIO(pdf),
        size=len(pdf),
        content_type="application/pdf",
        sha256=hashlib.sha256(pdf).hexdigest(),
    )
    asset.document_sha256 = hashlib.sha256(pdf).hexdigest()
    asset.document_size_bytes = len(pdf)
    asset.document_signed = True
    db.session.commit()


def _sign_with(pdf: bytes, path, p12: bytes) -> bytes:
    """Sign an unsigned document with a key of one's own, outside the registry."""
    path.write_bytes(p12)
    signer = signers.SimpleSigner.load_pkcs12(str(path), passphrase=PASSWORD.encode())
    metadata = signers.PdfSignatureMetadata(
        field_name="ChuKyLanhDao", subfilter=fields.SigSeedSubFilter.PADES
    )
    out = io.BytesIO()
    signers.PdfSigner(metadata, signer=signer).sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(pdf)), output=out
    )
    return out.getvalue()


def test_a_document_signed_before_the_certificate_was_renewed_stays_valid(
    app, client, login, runner, tmp_path, monkeypatch, make_user, make_submission, advance
):
    _use_pkcs12(app, monkeypatch, tmp_path / "a.p12", CertificationAuthority("CA cũ").pkcs12())
    first = _approve(make_user, make_submission, advance)
    # The certificate is renewed, by another CA, and the configuration now names the new one.
    _use_pkcs12(app, monkeypatch, tmp_path / "b.p12", CertificationAuthority("CA mới").pkcs12())
    second = _approve(make_user, make_submission, advance)
    for asset in (first, second):
        assert client.get(f"/api/v1/verify/{asset.code}").json["document_state"] == "valid"
    html = client.get(f"/verify/{first.code}").get_data(as_text=True)
    assert "Hợp lệ: văn bản còn nguyên vẹn từ khi ký" in html
    login(make_user("reviewer", DEPARTMENT))
    page = client.get(f"/library/{first.code}").get_data(as_text=True)
    assert "có chữ ký số hợp lệ" in page
    result = runner.invoke(args=["registry", "check-storage"])
    assert result.exit_code == 0, result.output
    used = db.session.scalars(sa.select(SigningCertificate).order_by(SigningCertificate.id)).all()
    assert [("CA cũ" in c.issuer, "CA mới" in c.issuer) for c in used] == [
        (True, False),
        (False, True),
    ]
    assert all(c.first_used_at <= c.last_used_at for c in used)
    assert used[0].last_used_at <= used[1].first_used_at
    # Renewal trusts what was signed, not what was changed since: a tampered old one fails.
    pdf = _pdf(first)
    target = pdf.index(b"/Title")
    assert signature_state(pdf[:target] + pdf[target:].replace(b"Gi", b"Gx", 1), app.config) == (
        "invalid"
    )


def test_a_document_signed_by_a_certificate_the_department_never_used_shows_invalid(
    app, client, runner, tmp_path, monkeypatch, make_user, make_submission, advance
):
    _use_pkcs12(app, monkeypatch, tmp_path / "so.p12", CertificationAuthority().pkcs12())
    signed = _approve(make_user, make_submission, advance)
    monkeypatch.delitem(app.config, "REGISTRY_SIGNING_PKCS12")
    unsigned = _approve(make_user, make_submission, advance)
    # Someone signs the unsigned document with a certificate of their own, even one by the
    # same CA as the Department's, and puts it in the store in its place.
    ca_of_the_department = CertificationAuthority()
    forged = _sign_with(_pdf(unsigned), tmp_path / "forged.p12", ca_of_the_department.pkcs12())
    assert signature_state(forged, app.config) == "invalid"
    _replace_document(unsigned, forged)
    html = client.get(f"/verify/{unsigned.code}").get_data(as_text=True)
    assert "KHÔNG hợp lệ: chữ ký không khớp hoặc không do Sở cấp" in html
    assert client.get(f"/api/v1/verify/{signed.code}").json["document_state"] == "valid"
    result = runner.invoke(args=["registry", "check-storage"])
    assert result.exit_code == 1, result.output
    assert f"HỎNG     approved  {unsigned.document_key}" in result.output
    assert signed.document_key not in result.output
    # --quick reads no content, so it does not validate signatures.
    assert runner.invoke(args=["registry", "check-storage", "--quick"]).exit_code == 0


def test_certificates_the_operator_names_are_trusted_too(
    app, tmp_path, monkeypatch, make_user, make_submission, advance
):
    ca = CertificationAuthority()
    key, cert = ca.issue()
    asset = _approve(make_user, make_submission, advance)
    forged_p12 = tmp_path / "old.p12"
    p12 = pkcs12.serialize_key_and_certificates(
        b"old", key, cert, [ca.cert], serialization.BestAvailableEncryption(PASSWORD.encode())
    )
    # A document signed on another server, before this registry kept its certificates.
    pdf = _sign_with(_pdf(asset), forged_p12, p12)
    assert signature_state(pdf, app.config) == "invalid"
    folder = tmp_path / "tin-cay"
    folder.mkdir()
    (folder / "chung-thu-cu.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "ghi-chu.txt").write_text("not a certificate")
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_TRUST_ROOTS", str(folder))
    assert [c.sha256 for c in load_certificates(str(folder))] == [
        load_certificates(str(folder / "chung-thu-cu.pem"))[0].sha256
    ]
    assert signature_state(pdf, app.config) == "valid"


def test_a_certificate_that_expired_since_it_signed_still_vouches_for_what_it_signed(
    app, tmp_path, monkeypatch, make_user, make_submission, advance
):
    unsigned = _pdf(_approve(make_user, make_submission, advance))
    ca = CertificationAuthority()
    _use_pkcs12(app, monkeypatch, tmp_path / "ngan.p12", ca.pkcs12(valid_for=timedelta(seconds=3)))
    # The registry's own signing step, on a certificate that expires three seconds from now.
    pdf, certificate = sign(Rendered(unsigned, 0, (300, 100, 500, 180)), "Lãnh đạo", app.config)
    time.sleep(
        max(0.0, (certificate.valid_to - utcnow()).total_seconds()) + 1.5
    )  # past its 1 s tolerance
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    now = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert not (now.valid and now.trusted)  # judged now, the certificate has expired
    assert signature_state(pdf, app.config) == "valid"


def test_an_expired_certificate_signs_nothing_and_the_approval_waits(
    app, tmp_path, monkeypatch, make_user, make_submission, advance
):
    ca = CertificationAuthority()
    _use_pkcs12(
        app, monkeypatch, tmp_path / "het-han.p12", ca.pkcs12(valid_for=-timedelta(hours=1))
    )
    with pytest.raises(SigningUnavailable, match="cần gia hạn hoặc cấu hình chứng thư mới"):
        _approve(make_user, make_submission, advance)
    db.session.rollback()
    assert db.session.scalar(sa.select(ApprovedAsset)) is None


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            {"REGISTRY_SIGNING_PKCS12": "/x.p12", "REGISTRY_SIGNING_PKCS11_MODULE": "/x.so"},
            "Chỉ cấu hình một nguồn khóa ký số",
        ),
        ({"REGISTRY_SIGNING_PKCS11_PIN": "1234"}, "thiếu REGISTRY_SIGNING_PKCS11_MODULE"),
        (
            {"REGISTRY_SIGNING_PKCS11_MODULE": "/x.so", "REGISTRY_SIGNING_PKCS11_CERT_LABEL": "k"},
            "cần REGISTRY_SIGNING_PKCS11_TOKEN_LABEL",
        ),
        (
            {
                "REGISTRY_SIGNING_PKCS11_MODULE": "/khong-co/libtoken.so",
                "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL": "t",
                "REGISTRY_SIGNING_PKCS11_CERT_LABEL": "k",
            },
            "Không có thư viện PKCS#11",
        ),
        ({"REGISTRY_SIGNING_TRUST_ROOTS": "/khong-co/chung-thu.pem"}, "Không đọc được chứng thư"),
    ],
)
def test_a_signing_configuration_that_cannot_work_stops_the_start(tmp_path, settings, message):
    from registry import create_app

    with pytest.raises(ValueError, match=message):
        create_app(
            {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3"}
            | settings
        )


def test_a_trust_roots_file_that_holds_no_certificate_stops_the_start(tmp_path):
    from registry import create_app

    path = tmp_path / "chung-thu.pem"
    path.write_text("không phải chứng thư")
    with pytest.raises(ValueError, match="Không đọc được chứng thư số trong"):
        create_app(
            {
                "SECRET_KEY": "k",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite3",
                "REGISTRY_SIGNING_TRUST_ROOTS": str(path),
            }
        )
