"""Signing with a key on a PKCS#11 token (a CA's USB token), against a real SoftHSM2 token:
the head signs through the page, the document's signature validates with pyHanko, and a wrong
PIN, a missing token or a missing key stops the approval with a clear message, nothing half
approved. Without SoftHSM2 these tests skip loudly; with CI=true they fail."""

from __future__ import annotations

import io
import logging

import pytest
import sqlalchemy as sa
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from registry.documents.models import SigningCertificate
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage.service import get_store
from registry.submissions.models import Submission
from tests import softhsm
from tests.certificates import PASSWORD, CertificationAuthority
from tests.conftest import csrf_token, stored_keys
from tests.factories import DEPARTMENT, UNIT_A, answer_all, use_two_step_signoff


class Token:
    def __init__(self, module: str, ca: CertificationAuthority):
        self.module, self.ca, self.certs = module, ca, {}


@pytest.fixture(scope="session")
def token(tmp_path_factory):
    """A SoftHSM2 token holding two of the head's keys and certificates (this year's and
    next year's), certified by the tests' CA."""
    module = softhsm.module_path()
    conf = softhsm.init_token(tmp_path_factory.mktemp("softhsm"))
    # SoftHSM2 reads its configuration when the module is first loaded in the process.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(conf))
        made = Token(module, CertificationAuthority("CA cấp USB token"))
        for label in ("ky-so-2026", "ky-so-2027"):
            key, cert = made.ca.issue("Trần Thị Lãnh Đạo")
            softhsm.import_key_and_certificate(module, label, key, cert)
            made.certs[label] = cert
        yield made


@pytest.fixture
def on_token(app, monkeypatch, token, tmp_path):
    """Configure the registry to sign with this year's key on the token, its PIN in a file."""
    pin_file = tmp_path / "pin"
    pin_file.write_text(softhsm.PIN + "\n")
    settings = {
        "REGISTRY_SIGNING_PKCS12": None,
        "REGISTRY_SIGNING_PKCS11_MODULE": token.module,
        "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL": softhsm.TOKEN_LABEL,
        "REGISTRY_SIGNING_PKCS11_CERT_LABEL": "ky-so-2026",
        "REGISTRY_SIGNING_PKCS11_PIN_FILE": str(pin_file),
    }
    for key, value in settings.items():
        monkeypatch.setitem(app.config, key, value)
    return token


def _awaiting_signature(make_user, make_submission, advance):
    use_two_step_signoff()
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    submission = make_submission(designer)
    advance(submission, "in_review", designer, reviewer)
    answer_all(reviewer, submission)
    from registry.workflow import apply_transition

    apply_transition(reviewer, submission, "recommend_approval", comment="Đề nghị duyệt.")
    db.session.commit()
    return submission


def _sign_on_the_page(client, login, head, submission):
    login(head)
    return client.post(
        f"/submissions/{submission.id}/transition",
        data={
            "action": "sign",
            "lock_version": submission.lock_version,
            "csrf_token": csrf_token(client, "/reviews/signoff"),
        },
    )


def _document(submission_id: int) -> tuple[ApprovedAsset, bytes]:
    asset = db.session.scalar(
        sa.select(ApprovedAsset).where(ApprovedAsset.submission_id == submission_id)
    )
    with get_store().open("approved", asset.document_key) as chunks:
        return asset, b"".join(chunks)


def _der(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def test_the_head_signs_with_the_key_on_the_usb_token_and_the_signature_validates(
    app, client, login, on_token, make_user, make_submission, advance
):
    submission = _awaiting_signature(make_user, make_submission, advance)
    head = make_user("head", DEPARTMENT)
    response = _sign_on_the_page(client, login, head, submission)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    db.session.expire_all()
    asset, pdf = _document(submission.id)
    assert asset.document_signed
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert signature.signer_cert.dump() == _der(on_token.certs["ky-so-2026"])
    root = asn1_x509.Certificate.load(_der(on_token.ca.cert))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Name"] == head.display_name
    recorded = db.session.scalars(sa.select(SigningCertificate)).all()
    assert [c.der for c in recorded] == [_der(on_token.certs["ky-so-2026"])]
    assert "Trần Thị Lãnh Đạo" in recorded[0].subject
    assert client.get(f"/api/v1/verify/{asset.code}").json["document_state"] == "valid"


def test_after_moving_from_a_pkcs12_file_to_the_token_and_renewing_both_documents_stay_valid(
    app, client, runner, tmp_path, on_token, monkeypatch, make_user, make_submission, advance
):
    p12 = tmp_path / "cu.p12"
    p12.write_bytes(CertificationAuthority("CA cũ").pkcs12())
    token_settings = {k: app.config[k] for k in app.config if k.startswith("REGISTRY_SIGNING_")}
    for key in ("REGISTRY_SIGNING_PKCS11_MODULE", "REGISTRY_SIGNING_PKCS11_PIN_FILE"):
        monkeypatch.setitem(app.config, key, None)
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS12", str(p12))
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PASSWORD", PASSWORD)
    designer, reviewer = make_user("designer", UNIT_A), make_user("reviewer", DEPARTMENT)
    use_two_step_signoff()
    codes = []
    for label in (None, "ky-so-2026", "ky-so-2027"):
        if label:  # the key moves to the token, then the token's certificate is renewed
            app.config.update(token_settings | {"REGISTRY_SIGNING_PKCS11_CERT_LABEL": label})
        submission = make_submission(designer)
        advance(submission, "approved", designer, reviewer, make_user("head", DEPARTMENT))
        codes.append(_document(submission.id)[0].code)
    assert len(db.session.scalars(sa.select(SigningCertificate)).all()) == 3
    for code in codes:
        assert client.get(f"/api/v1/verify/{code}").json["document_state"] == "valid"
    result = runner.invoke(args=["registry", "check-storage"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "setting, value, message",
    [
        ("REGISTRY_SIGNING_PKCS11_PIN_FILE", None, "mã PIN của USB token «SO VHTT AN GIANG» không"),
        ("REGISTRY_SIGNING_PKCS11_TOKEN_LABEL", "TOKEN KHAC", "không tìm thấy USB token «TOKEN"),
        ("REGISTRY_SIGNING_PKCS11_CERT_LABEL", "ky-so-1999", "không có khóa và chứng thư số"),
        ("REGISTRY_SIGNING_PKCS11_KEY_LABEL", "ky-so-1999", "không có khóa và chứng thư số"),
    ],
)
def test_an_unreachable_key_stops_the_signature_with_a_clear_message_and_nothing_is_approved(
    app,
    client,
    login,
    on_token,
    monkeypatch,
    caplog,
    make_user,
    make_submission,
    advance,
    setting,
    value,
    message,
):
    good = app.config[setting]
    monkeypatch.setitem(app.config, setting, value)
    if setting == "REGISTRY_SIGNING_PKCS11_PIN_FILE":
        monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS11_PIN", "999999")
    submission = _awaiting_signature(make_user, make_submission, advance)
    before = stored_keys(app, "approved")
    head = make_user("head", DEPARTMENT)
    with caplog.at_level(logging.ERROR):
        response = _sign_on_the_page(client, login, head, submission)
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "Chưa ký số được giấy chấp thuận" in html and message in html
    assert "Hồ sơ chưa được duyệt" in html
    assert any(message in r.getMessage() for r in caplog.records)  # the operator's log
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "awaiting_signoff"
    assert db.session.scalar(sa.select(ApprovedAsset)) is None
    assert db.session.scalar(sa.select(SigningCertificate)) is None
    assert stored_keys(app, "approved") == before
    # Once the operator puts it right, the same signature goes through.
    app.config.update({setting: good, "REGISTRY_SIGNING_PKCS11_PIN": None})
    response = client.post(
        f"/submissions/{submission.id}/transition",
        data={
            "action": "sign",
            "lock_version": submission.lock_version,
            "csrf_token": csrf_token(client, "/reviews/signoff"),
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "approved"


def test_the_operator_checks_the_token_once_with_check_signing(app, runner, on_token, monkeypatch):
    result = runner.invoke(args=["registry", "check-signing"])
    assert result.exit_code == 0, result.output
    assert "Khóa ký số (USB token (PKCS#11)) dùng được" in result.output
    assert "Trần Thị Lãnh Đạo" in result.output and "CA cấp USB token" in result.output
    assert "chưa ký văn bản nào" in result.output
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS11_PIN_FILE", None)
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS11_PIN", "000000")
    result = runner.invoke(args=["registry", "check-signing"])
    assert result.exit_code == 1
    assert "mã PIN của USB token «SO VHTT AN GIANG» không đúng" in result.output


def test_check_signing_says_when_nothing_is_configured(app, runner):
    result = runner.invoke(args=["registry", "check-signing"])
    assert result.exit_code == 0
    assert "bản không ký số" in result.output


def test_the_api_answers_signing_unavailable_when_the_token_is_missing(
    app, client, token_for, on_token, monkeypatch, make_user, make_submission, advance
):
    monkeypatch.setitem(app.config, "REGISTRY_SIGNING_PKCS11_TOKEN_LABEL", "TOKEN DA RUT")
    submission = _awaiting_signature(make_user, make_submission, advance)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/transitions",
        json={"action": "sign"},
        headers=token_for(make_user("head", DEPARTMENT)),
    )
    assert response.status_code == 503
    assert response.json["error"]["code"] == "signing_unavailable"
    assert "không tìm thấy USB token «TOKEN DA RUT»" in response.json["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "awaiting_signoff"
