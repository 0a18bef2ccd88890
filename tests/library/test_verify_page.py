"""Public verification: the page and the API answer anyone, and reveal only public facts."""

import io
from datetime import timedelta

import pytest
import segno

from registry.clock import local_date, local_today
from registry.extensions import db
from registry.workflow import apply_transition
from tests.library.conftest import bucket


@pytest.fixture
def asset(approve):
    return approve(title="Pano nội bộ tên riêng")


def test_valid_code_shows_valid(client, asset):
    response = client.get(f"/verify/{asset.code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in (
        "Còn hiệu lực",
        asset.code,
        "Phường Long Xuyên",
        "Kết luận số 288-KL/TW",
        "Pano",
        "300 × 200 cm",
        f"{asset.valid_from:%d/%m/%Y} – {asset.valid_to:%d/%m/%Y}",
        f"/verify/{asset.code}/thumb.webp",
    ):
        assert text in html, text


def test_expired_code_shows_expired(client, asset):
    asset.valid_to = local_today() - timedelta(days=1)
    db.session.commit()
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    assert "Hết hiệu lực" in html and f"{asset.valid_to:%d/%m/%Y}" in html
    assert "Còn hiệu lực" not in html


def test_revoked_code_shows_revoked_with_its_date_and_reason(client, people, asset):
    apply_transition(people["reviewer"], asset.submission, "revoke", comment="Sai quốc kỳ")
    db.session.commit()
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    assert f"Đã thu hồi phê duyệt ngày {local_date(asset.revoked_at):%d/%m/%Y}" in html
    # Issue 15: a citizen is told why a panel may no longer stand.
    assert "Lý do: Sai quốc kỳ" in html


def test_unknown_code_is_404_in_vietnamese(client):
    response = client.get("/verify/QLVH-2026-999999")
    assert response.status_code == 404
    assert "không có trong sổ đăng ký" in response.get_data(as_text=True)
    assert client.get("/verify/QLVH-2026-999999/thumb.webp").status_code == 404


def test_code_typed_in_lower_case_is_found(client, asset):
    response = client.get(f"/verify/{asset.code.lower()}")
    assert response.status_code == 301 and response.headers["Location"].endswith(asset.code)
    response = client.get(f"/verify/?code=+{asset.code.lower()}+")
    assert response.headers["Location"].endswith(f"/verify/{asset.code}")
    assert client.get("/verify/").status_code == 200


def _secrets(people, asset) -> list[str]:
    """What the public must never learn."""
    version = asset.version
    users = [u for u in people.values()]
    return [
        *(u.username for u in users),
        # Only the signer's name is public, as the approval document prints it.
        *(u.full_name for u in users if u.id != asset.approved_by_id),
        asset.storage_key,
        version.storage_key,
        version.thumb_key,
        version.preview_key,
        version.sha256,
        version.original_name,
        "Pano nội bộ tên riêng",  # the submission's working title
        f"/submissions/{asset.submission_id}",
        f"/versions/{version.id}",
        "/download",
        "registry-uploads",
        "registry-approved",
    ]


def test_verification_reveals_nothing_private(app, client, people, asset):
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    body = client.get(f"/api/v1/verify/{asset.code}").get_data(as_text=True)
    for secret in [*_secrets(people, asset), bucket(app, "uploads"), bucket(app, "approved")]:
        assert secret not in html, secret
        assert secret not in body, secret


def test_verification_api_needs_no_token(client, people, asset):
    response = client.get(f"/api/v1/verify/{asset.code.lower()}")
    assert response.status_code == 200
    assert set(response.json) == {
        "code",
        "status",
        "status_label",
        "unit_name",
        "campaign_title",
        "format",
        "format_label",
        "width_cm",
        "height_cm",
        "valid_from",
        "valid_to",
        "revoked_on",
        "approved_on",
        "revoke_reason",
        "approver_name",
        "approver_title",
        "document_number",
        "document_state",
        "placements",
        "thumbnail_url",
        "page_url",
    }
    assert response.json["status"] == "valid" and response.json["code"] == asset.code
    assert response.json["page_url"] == f"http://localhost/verify/{asset.code}"
    apply_transition(people["reviewer"], asset.submission, "revoke", comment="Thu hồi")
    db.session.commit()
    revoked = client.get(f"/api/v1/verify/{asset.code}").json
    db.session.refresh(asset)
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] == local_date(asset.revoked_at).isoformat()


def test_verification_api_answers_unknown_codes_with_a_json_404(client):
    response = client.get("/api/v1/verify/QLVH-1999-000001")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    assert "không có trong sổ đăng ký" in response.json["error"]["message"]


def test_public_thumbnail_is_served_without_sign_in(client, asset):
    response = client.get(f"/verify/{asset.code}/thumb.webp")
    assert response.status_code == 200 and response.data[8:12] == b"WEBP"


def _segno(url: str, kind: str) -> bytes:
    """The QR code as segno makes it with the documented settings (error level M, border 4)."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m", micro=False, boost_error=False)
    if kind == "png":
        qr.save(buffer, kind="png", scale=10, border=4)
    else:
        qr.save(buffer, kind="svg", scale=4, border=4, title=url)
    return buffer.getvalue()


def test_qr_codes_encode_the_verification_address(client, login, people, asset):
    login(people["locality_a"])
    url = f"http://localhost/verify/{asset.code}"
    png = client.get(f"/library/{asset.code}/qr.png")
    assert png.headers["Content-Type"] == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png.data == _segno(url, "png")
    svg = client.get(f"/library/{asset.code}/qr.svg")
    assert svg.headers["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in svg.data and url.encode() in svg.data
    assert svg.data == _segno(url, "svg")
    named = client.get(f"/library/{asset.code}/qr.png?download=1")
    assert f"{asset.code}-qr.png" in named.headers["Content-Disposition"]


def test_qr_code_uses_the_configured_public_address(app, client, login, people, asset, monkeypatch):
    monkeypatch.setitem(app.config, "REGISTRY_PUBLIC_URL", "https://kho.svhtt.angiang.gov.vn/")
    login(people["locality_a"])
    url = f"https://kho.svhtt.angiang.gov.vn/verify/{asset.code}"
    assert client.get(f"/library/{asset.code}/qr.png").data == _segno(url, "png")
    assert url in client.get(f"/library/{asset.code}/sheet").get_data(as_text=True)


def test_the_page_says_who_approved_when_under_which_number_where_and_the_signature(
    client, people, asset
):
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    approver = asset.approved_by
    for text in (
        f"{approver.full_name}<br><small>CHUYÊN VIÊN THẨM ĐỊNH</small>",
        f"Số {asset.document_label}",
        "Bản không ký số",
        "Số 1 Trần Hưng Đạo, Phường Long Xuyên",
        f"từ {asset.valid_from:%d/%m/%Y} đến {asset.valid_to:%d/%m/%Y}",
    ):
        assert text in html, text
    body = client.get(f"/api/v1/verify/{asset.code}").json
    assert body["approver_name"] == approver.full_name
    assert body["document_number"] == asset.document_label
    assert body["document_state"] == "unsigned"
    assert body["placements"][0]["address"] == "Số 1 Trần Hưng Đạo"


def test_an_altered_stored_document_is_reported_on_the_page(app, client, asset):
    from tests.library.conftest import raw_overwrite

    raw_overwrite(app, "approved", asset.document_key, b"%PDF-1.4 altered")
    html = client.get(f"/verify/{asset.code}").get_data(as_text=True)
    assert "văn bản lưu trữ đã bị thay đổi" in html
