"""Library pages: who sees which approved assets, the detail page, the sheet and revocation."""

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from registry.library.models import ApprovedAsset, DownloadLog
from registry.submissions.models import Submission
from tests.conftest import csrf_token
from tests.factories import UNIT_A


@pytest.fixture
def assets(people, approve):
    """One asset of unit A, one of unit B and one province template of the Department."""
    return {
        "a": approve(people["designer_a"], title="Pano phường Long Xuyên"),
        "b": approve(
            people["designer_b"],
            title="Băng rôn phường Bình Đức",
            fmt="bang_ron",
            width_cm=800,
            height_cm=80,
        ),
        "province": approve(people["designer_so"], title="Mẫu chung toàn tỉnh", scope="province"),
    }


@pytest.mark.parametrize(
    "role, visible",
    [
        ("locality_a", {"a", "province"}),
        ("locality_b", {"b", "province"}),
        ("designer_a", {"a", "province"}),
        ("reviewer", {"a", "b", "province"}),
        ("admin", {"a", "b", "province"}),
    ],
)
def test_library_lists_what_each_role_may_use(client, login, people, assets, role, visible):
    login(people[role])
    page = client.get("/library/").get_data(as_text=True)
    for name, asset in assets.items():
        assert (asset.code in page) == (name in visible), (role, name)


PER_ASSET_PATHS = ["", "/thumb.webp", "/preview.webp", "/download", "/sheet", "/qr.png", "/qr.svg"]


def test_locality_never_reaches_another_units_asset(client, login, people, assets):
    login(people["locality_a"])
    for path in PER_ASSET_PATHS:
        assert client.get(f"/library/{assets['b'].code}{path}").status_code == 404, path
        assert client.get(f"/library/{assets['province'].code}{path}").status_code in (200, 302)
    assert db.session.scalar(sa.select(sa.func.count(DownloadLog.id))) == 1  # the province one


def test_locality_starts_on_its_work_with_a_way_into_the_library(client, login, people):
    login(people["locality_a"])
    html = client.get("/").get_data(as_text=True)
    assert "Mẫu mới được duyệt" in html and 'href="/library/"' in html


def test_library_requires_sign_in(client, assets):
    response = client.get(f"/library/{assets['a'].code}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_filters_by_format_unit_and_validity(client, login, people, assets):
    login(people["reviewer"])
    codes = {name: a.code for name, a in assets.items()}
    page = client.get("/library/?format=bang_ron").get_data(as_text=True)
    assert codes["b"] in page and codes["a"] not in page
    page = client.get(f"/library/?unit={UNIT_A}").get_data(as_text=True)
    assert codes["a"] in page and codes["b"] not in page and codes["province"] not in page
    asset = db.session.get(ApprovedAsset, assets["a"].id)
    asset.valid_to = asset.valid_from.replace(year=2020)  # time has passed
    db.session.commit()
    expired = client.get("/library/?status=expired").get_data(as_text=True)
    assert codes["a"] in expired and codes["b"] not in expired
    valid = client.get("/library/?status=valid").get_data(as_text=True)
    assert codes["a"] not in valid and codes["b"] in valid and codes["province"] in valid
    assert codes["a"] in client.get(f"/library/?q={codes['a'].lower()}").get_data(as_text=True)


def test_detail_shows_the_approval_facts(client, login, people, assets):
    login(people["locality_a"])
    asset = assets["a"]
    html = client.get(f"/library/{asset.code}").get_data(as_text=True)
    for text in (
        asset.code,
        "Còn hiệu lực",
        f"{asset.valid_from:%d/%m/%Y} – {asset.valid_to:%d/%m/%Y}",
        "300 × 200 cm",
        "Pano",
        "Số 1 Trần Hưng Đạo",
        asset.sha256,
        f"/library/{asset.code}/download",
        f"/library/{asset.code}/qr.svg",
        f"/library/{asset.code}/sheet",
        f"http://localhost/verify/{asset.code}",
    ):
        assert text in html, text
    assert "Thu hồi phê duyệt" not in html  # a locality may not revoke
    province = client.get(f"/library/{assets['province'].code}").get_data(as_text=True)
    assert "không thời hạn" in province


def test_thumbnail_of_a_province_template_is_served_to_every_locality(
    client, login, people, assets
):
    login(people["locality_b"])
    response = client.get(f"/library/{assets['province'].code}/thumb.webp")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/webp" and response.data[8:12] == b"WEBP"


def test_sheet_escapes_user_text_and_carries_the_qr_code(client, login, people, approve):
    asset = approve(people["designer_a"], title="<script>alert(1)</script> Pano")
    login(people["locality_a"])
    html = client.get(f"/library/{asset.code}/sheet").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Pano" in html
    assert f'src="/library/{asset.code}/qr.svg"' in html
    for text in (
        asset.code,
        "Phường Long Xuyên",
        "Pano, 300 × 200 cm",
        f"{asset.valid_to:%d/%m/%Y}",
        "/static/app.css",
    ):
        assert text in html, text


def test_the_sheet_is_the_approval_documents_companion(client, login, people, approve):
    asset = approve(people["designer_a"])
    login(people["locality_a"])
    html = client.get(f"/library/{asset.code}/sheet").get_data(as_text=True)
    for text in (
        "SỞ VĂN HÓA VÀ THỂ THAO",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        f"Kèm theo Giấy chấp thuận số {asset.document_label} ngày",
        f'src="/library/{asset.code}/preview.webp"',  # the artwork itself
        "Người phê duyệt",
        people["reviewer"].full_name,
        "Số 1 Trần Hưng Đạo",  # where it may stand
    ):
        assert text in html, text
    # A hash means nothing on the street; the asset page keeps it for the print shop.
    assert asset.sha256 not in html


def test_the_sheet_has_a_print_layout(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert "@media print" in response.get_data(as_text=True)
    response.close()


def _revoke(client, code, reason):
    token = csrf_token(client, f"/library/{code}")
    return client.post(f"/library/{code}/revoke", data={"reason": reason, "csrf_token": token})


def test_reviewer_revokes_and_it_shows_everywhere_at_once(client, login, people, assets):
    code = assets["a"].code
    login(people["reviewer"])
    response = _revoke(client, code, "Khẩu hiệu đã được thay thế.")
    assert response.status_code == 303
    db.session.expire_all()
    asset = db.session.get(ApprovedAsset, assets["a"].id)
    assert asset.revoked_at is not None and asset.revoke_reason == "Khẩu hiệu đã được thay thế."
    assert db.session.get(Submission, asset.submission_id).status == "revoked"
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"submission.revoke", "asset.revoked"} <= actions
    detail = client.get(f"/library/{code}").get_data(as_text=True)
    assert "Đã thu hồi" in detail and "Khẩu hiệu đã được thay thế." in detail
    assert f"/library/{code}/download" not in detail
    assert "Đã thu hồi" in client.get(f"/verify/{code}").get_data(as_text=True)
    assert client.get(f"/library/{code}/download").status_code == 410
    listing = client.get("/library/?status=revoked").get_data(as_text=True)
    assert code in listing


def test_revocation_needs_a_reason(client, login, people, assets):
    login(people["admin"])
    response = _revoke(client, assets["a"].code, "   ")
    assert response.status_code == 303
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vui lòng ghi lý do thu hồi." in follow
    db.session.expire_all()
    assert db.session.get(ApprovedAsset, assets["a"].id).revoked_at is None


@pytest.mark.parametrize("role", ["locality_a", "designer_a"])
def test_only_reviewers_and_admins_revoke(client, login, people, assets, role):
    login(people[role])
    assert _revoke(client, assets["a"].code, "Không được phép").status_code == 403
    db.session.expire_all()
    assert db.session.get(ApprovedAsset, assets["a"].id).revoked_at is None
