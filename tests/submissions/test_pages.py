"""Designer pages: create, upload, placements, submit, and what the designer is told."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from registry.submissions.models import ArtworkVersion, Submission
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys
from tests.factories import LAT, LON, SOON, UNIT_A, campaign


def _create(client, **overrides):
    c = campaign()
    data = {
        "campaign_id": c.id,
        "title": "Pano Kết luận 288",
        "format": "pano",
        "scope": "unit",
        "width_cm": "300",
        "height_cm": "200",
        "slogan_ids": [c.active_slogans[0].id],
        "other_text": "",
        "description": "Mẫu thử",
        "csrf_token": csrf_token(client, "/submissions/new"),
    }
    data.update(overrides)
    return client.post("/submissions/new", data=data)


def test_designer_creates_a_draft_submission(client, signed_in_designer):
    response = _create(client)
    assert response.status_code == 302
    submission = db.session.scalar(sa.select(Submission))
    assert (submission.status, submission.unit_id, submission.title) == (
        "draft",
        signed_in_designer.unit_id,
        "Pano Kết luận 288",
    )
    assert [s.text for s in submission.slogans] == [campaign().active_slogans[0].text]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bản nháp" in page and "Chưa có phiên bản nào" in page
    assert (
        db.session.scalar(
            sa.select(AuditEvent.action).where(AuditEvent.action == "submission.created")
        )
        == "submission.created"
    )


def test_commune_designer_cannot_make_a_province_template(client, signed_in_designer):
    response = _create(client, scope="province")
    assert response.status_code == 403
    assert "Chỉ các đơn vị thuộc Sở" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0


def test_department_designer_may_make_a_province_template(client, make_user, login):
    login(make_user("designer", "SVHTT-TTBCXB"))
    assert _create(client, scope="province").status_code == 302


def test_form_with_missing_fields_is_answered_in_vietnamese(client, signed_in_designer):
    response = _create(client, title="", width_cm="")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Vui lòng nhập mục này." in html and "Vui lòng nhập chiều rộng." in html


def _upload(
    client,
    submission_id,
    data,
    name="mau.png",
    print_data=None,
    print_name="in.pdf",
    accept_json=False,
):
    form = {
        "file": (io.BytesIO(data), name),
        "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
    }
    if print_data is not None:
        form["print_file"] = (io.BytesIO(print_data), print_name)
    headers = {"Accept": "application/json"} if accept_json else {}
    return post_multipart(client, f"/submissions/{submission_id}/versions", form, headers=headers)


def test_upload_shows_what_the_registry_learned_from_the_file(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)
    data = images.png_bytes(3000, 2000, dpi=(150, 150))
    response = _upload(client, submission.id, data)
    assert response.status_code == 303
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "3000 × 2000 px" in page and "PNG, RGB (8 bit/kênh)" in page
    assert "150 × 150" in page  # embedded DPI
    assert "25 ppi" in page  # 3000 px over 300 cm = 25.4 ppi, sharp from a main road (8.7)
    assert "Độ phân giải in chưa đủ" not in page
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert version.storage_key == f"uploads/{submission.id}/v1/{version.sha256}.png"
    assert stored_keys(client.application, "uploads") == {
        version.storage_key,
        f"previews/{version.sha256}.webp",
        f"thumbs/{version.sha256}.webp",
    }


def test_upload_warns_when_the_aspect_ratio_does_not_match(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)  # declared 300 × 200 cm
    _upload(client, submission.id, images.png_bytes(1000, 1000))
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Tỉ lệ khung hình của tệp (1000×1000 px) lệch" in page


def test_upload_by_script_answers_json_for_the_progress_bar(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)
    response = _upload(
        client, submission.id, images.jpeg_bytes(600, 400), "a.jpg", accept_json=True
    )
    assert response.status_code == 201
    assert response.json["ok"] is True
    assert response.json["redirect"] == f"/submissions/{submission.id}"


@pytest.mark.parametrize(
    "make, name, expected",
    [
        (lambda: b"", "rong.png", "trống"),
        (images.html_as_png, "trang.png", "PNG, JPEG, TIFF"),
        (images.svg_with_script, "mau.png", "PNG, JPEG, TIFF"),
        (images.zip_bytes, "mau.jpg", "PNG, JPEG, TIFF"),
        (images.gif_bytes, "mau.gif", "PNG, JPEG, TIFF"),
        (lambda: images.truncated(images.png_bytes(400, 300)), "cut.png", "hỏng"),
        (lambda: images.truncated(images.jpeg_bytes(400, 300)), "cut.jpg", "hỏng"),
        (images.animated_png, "anim.png", "động"),
        (images.multipage_tiff, "pages.tif", "nhiều"),
        (lambda: images.bomb_png(30000, 30000), "bomb.png", "megapixel"),
        (lambda: images.bomb_tiff(30000, 30000), "bomb.tif", "megapixel"),
    ],
    ids=[
        "empty",
        "html",
        "svg-script",
        "zip",
        "gif",
        "truncated-png",
        "truncated-jpeg",
        "animated",
        "multipage-tiff",
        "bomb-png",
        "bomb-tiff",
    ],
)
def test_bad_artwork_is_refused_with_its_reason_and_leaves_nothing(
    client, signed_in_designer, make_submission, make, name, expected
):
    submission = make_submission(signed_in_designer, artwork=None)
    before = stored_keys(client.application, "uploads")
    response = _upload(client, submission.id, make(), name, accept_json=True)
    assert 400 <= response.status_code < 500, response.status_code
    assert expected in response.json["message"], response.json["message"]
    assert stored_keys(client.application, "uploads") == before
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


def test_artwork_over_the_size_limit_gets_413(
    client, signed_in_designer, make_submission, monkeypatch
):
    submission = make_submission(signed_in_designer, artwork=None)
    monkeypatch.setitem(client.application.config, "REGISTRY_MAX_UPLOAD_MB", 1)
    monkeypatch.setitem(client.application.config, "REGISTRY_MAX_PRINT_FILE_MB", 1)
    big = b"\x89PNG" + b"\0" * (2 << 20)  # over the artwork limit, inside the request limit
    response = _upload(client, submission.id, big, accept_json=True)
    assert response.status_code == 413
    assert "Tệp mẫu vượt quá 1 MB cho phép." in response.json["message"]
    assert stored_keys(client.application, "uploads") == set()


def test_the_same_bytes_twice_are_recognised_and_not_stored_again(
    client, signed_in_designer, make_submission
):
    data = images.png_bytes(300, 200)
    submission = make_submission(signed_in_designer, artwork=data)
    before = stored_keys(client.application, "uploads")
    response = _upload(client, submission.id, data, accept_json=True)
    assert response.status_code == 409
    assert "giống hệt phiên bản v1" in response.json["message"]
    assert stored_keys(client.application, "uploads") == before


def test_print_file_is_stored_as_is_and_served_only_as_attachment(
    client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)
    pdf = images.pdf_bytes()
    assert (
        _upload(client, submission.id, images.png_bytes(300, 200), print_data=pdf).status_code
        == 303
    )
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert version.print_kind == "pdf" and version.print_key.endswith(".pdf")
    response = client.get(f"/versions/{version.id}/print")
    assert response.data == pdf
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_unknown_print_file_is_refused(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer, artwork=None)
    response = _upload(
        client,
        submission.id,
        images.png_bytes(300, 200),
        print_data=b"MZ\x90\x00not a print file",
        print_name="virus.pdf",
        accept_json=True,
    )
    assert response.status_code == 422
    assert "Tệp in không đúng định dạng" in response.json["message"]
    assert stored_keys(client.application, "uploads") == set()


def test_preview_is_webp_and_original_is_an_attachment(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer)
    version = submission.versions[0]
    preview = client.get(f"/versions/{version.id}/preview.webp")
    assert preview.headers["Content-Type"] == "image/webp" and preview.data[8:12] == b"WEBP"
    original = client.get(f"/versions/{version.id}/original")
    assert original.headers["Content-Disposition"].startswith("attachment")
    assert original.headers["X-Content-Type-Options"] == "nosniff"


def _placement(client, submission_id, **overrides):
    data = {
        "unit_code": UNIT_A,
        "address": "Số 1 Trần Hưng Đạo",
        "lat": str(LAT),
        "lon": str(LON),
        "site_type": "main_road",
        "quantity": "2",
        "display_from": SOON.isoformat(),
        "display_to": (SOON + timedelta(days=30)).isoformat(),
        "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
    }
    data.update(overrides)
    return client.post(f"/submissions/{submission_id}/placements/new", data=data)


def test_designer_adds_edits_and_removes_a_placement(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer, placements=0)
    assert _placement(client, submission.id).status_code == 302
    placement = db.session.scalar(
        sa.select(Submission).where(Submission.id == submission.id)
    ).placements[0]
    assert (placement.quantity, placement.display_to) == (2, SOON + timedelta(days=30))
    token = csrf_token(client, f"/submissions/{submission.id}")
    response = client.post(
        f"/submissions/placements/{placement.id}/edit",
        data={
            "unit_code": UNIT_A,
            "address": "Quảng trường Long Xuyên",
            "lat": str(LAT),
            "lon": str(LON),
            "site_type": "public_square",
            "quantity": "1",
            "display_from": (SOON + timedelta(days=31)).isoformat(),
            "display_to": (SOON + timedelta(days=45)).isoformat(),
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(placement), placement.id).address == "Quảng trường Long Xuyên"
    response = client.post(
        f"/submissions/placements/{placement.id}/delete", data={"csrf_token": token}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).placements == []


def test_a_placement_that_states_its_viewing_distance_decides_the_print_resolution(
    client, signed_in_designer, make_submission
):
    # 1500 px over 300 cm = 12.7 ppi: too coarse for a school's 3 m, sharp from 20 m.
    submission = make_submission(signed_in_designer, placements=0)
    assert _placement(client, submission.id, site_type="school_cultural_house").status_code == 302
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Độ phân giải in chưa đủ" in page
    assert "khoảng cách xem mặc định 3 m = 118,1 inch" in page and "= 29,1 ppi" in page
    placement = db.session.get(Submission, submission.id).placements[0]
    form = client.get(f"/submissions/placements/{placement.id}/edit").get_data(as_text=True)
    assert "Trường học, nhà văn hóa 3 m" in form  # the defaults are named beside the field
    data = {
        "unit_code": UNIT_A,
        "address": placement.address,
        "lat": str(LAT),
        "lon": str(LON),
        "site_type": "school_cultural_house",
        "quantity": "1",
        "viewing_distance_m": "20",
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
        "csrf_token": csrf_token(client, f"/submissions/{submission.id}"),
    }
    edited = client.post(f"/submissions/placements/{placement.id}/edit", data=data)
    assert edited.status_code == 302
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Độ phân giải in chưa đủ" not in page and "xem từ 20 m" in page


@pytest.mark.parametrize(
    "lat, lon", [(10.2167, 103.9667), (9.2833, 103.4667)], ids=["phu-quoc", "tho-chau"]
)
def test_islands_of_an_giang_are_valid_placement_coordinates(
    client, signed_in_designer, make_submission, lat, lon
):
    submission = make_submission(signed_in_designer, placements=0)
    assert _placement(client, submission.id, lat=str(lat), lon=str(lon)).status_code == 302


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"lat": "21.0285", "lon": "105.8542"}, "không nằm trong địa giới tỉnh An Giang"),
        ({"display_from": "2025-12-01"}, "nằm trong thời gian của đợt"),
        (
            {
                "display_from": (SOON + timedelta(days=9)).isoformat(),
                "display_to": SOON.isoformat(),
            },
            "Ngày tháo dỡ phải sau",
        ),
        ({"display_from": "2026-01-05", "display_to": "2026-01-20"}, "Thời gian treo đã kết thúc"),
        ({"unit_code": "30292"}, "Lựa chọn không hợp lệ."),
        ({"quantity": "0"}, "Số lượng từ 1 đến 10.000."),
        ({"viewing_distance_m": "0.5"}, "Khoảng cách xem từ 1 đến 500 m."),
    ],
    ids=[
        "hanoi",
        "before-campaign",
        "reversed-period",
        "in-the-past",
        "other-unit",
        "zero-quantity",
        "viewing-distance-too-short",
    ],
)
def test_invalid_placement_is_refused_with_a_message(
    client, signed_in_designer, make_submission, overrides, message
):
    submission = make_submission(signed_in_designer, placements=0)
    response = _placement(client, submission.id, **overrides)
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).placements == []


def _transition(client, submission_id, action, **extra):
    data = {
        "action": action,
        "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
        **extra,
    }
    return client.post(f"/submissions/{submission_id}/transition", data=data)


def test_submit_needs_a_version_and_a_placement(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer, artwork=None, placements=0)
    response = _transition(client, submission.id, "submit")
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Cần tải lên ít nhất một phiên bản mẫu." in html
    assert "Cần khai báo ít nhất một vị trí treo/dựng." in html
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "draft"


def test_designer_submits_and_can_no_longer_edit(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer)
    assert _transition(client, submission.id, "submit").status_code == 303
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "submitted"
    assert client.get(f"/submissions/{submission.id}/edit").status_code == 403
    assert _placement(client, submission.id).status_code == 403


def test_designer_withdraws_a_draft(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer)
    assert _transition(client, submission.id, "withdraw").status_code == 303
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "withdrawn"


def test_editing_a_submission_records_each_change_before_and_after(client, signed_in_designer):
    _create(client)
    submission = db.session.scalar(sa.select(Submission))
    page = f"/submissions/{submission.id}/edit"
    response = client.post(
        page,
        data={
            "campaign_id": submission.campaign_id,
            "title": "Pano Kết luận 288 (sửa)",
            "format": "pano",
            "scope": "unit",
            "width_cm": "400",
            "height_cm": "200",
            "slogan_ids": [s.id for s in submission.slogans],
            "other_text": "",
            "description": "Mẫu thử",
            "lock_version": submission.lock_version,
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 302
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "submission.updated")
    )
    assert event.data["changes"] == {
        "title": ["Pano Kết luận 288", "Pano Kết luận 288 (sửa)"],
        "width_cm": [300.0, 400.0],
    }


def test_stale_form_is_refused(client, signed_in_designer, make_submission):
    submission = make_submission(signed_in_designer)
    response = _transition(client, submission.id, "submit", lock_version="1")
    assert response.status_code == 409
    assert "vừa được người khác thay đổi" in response.get_data(as_text=True)


def test_list_shows_the_units_submissions_with_filters(
    client, signed_in_designer, make_submission, make_user
):
    make_submission(signed_in_designer, title="Pano A")
    make_submission(
        signed_in_designer, title="Băng rôn B", fmt="bang_ron", width_cm=800, height_cm=80
    )
    other = make_user("designer", "30292")
    make_submission(other, title="Của đơn vị khác")
    page = client.get("/submissions/").get_data(as_text=True)
    assert "Pano A" in page and "Băng rôn B" in page and "Của đơn vị khác" not in page
    filtered = client.get("/submissions/?format=bang_ron").get_data(as_text=True)
    assert "Băng rôn B" in filtered and "Pano A" not in filtered


def test_long_lists_count_only_up_to_the_cap(
    client, signed_in_designer, make_submission, monkeypatch
):
    from registry import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 2)
    monkeypatch.setitem(client.application.config, "REGISTRY_PAGE_SIZE", 1)
    for i in range(4):
        make_submission(signed_in_designer, title=f"Mẫu {i}", artwork=None, placements=0)
    first = client.get("/submissions/").get_data(as_text=True)
    assert "Trang 1 · hơn 2 mục" in first and "Sau »" in first
    last = client.get("/submissions/?page=4").get_data(as_text=True)
    assert "Mẫu 0" in last and "Trang 4/4 · 4 mục" in last


def test_the_last_page_of_a_list_is_counted_without_a_second_query(
    client, signed_in_designer, make_submission, monkeypatch
):
    monkeypatch.setitem(client.application.config, "REGISTRY_PAGE_SIZE", 2)
    for i in range(3):
        make_submission(signed_in_designer, title=f"Mẫu {i}", artwork=None, placements=0)
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement.lower())

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        last = client.get("/submissions/?page=2").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert "Mẫu 0" in last and "Trang 2/2 · 3 mục" in last
    # The list's own count walks its ordered select up to a cap (LIMIT); none was needed.
    assert not [s for s in seen if "count(*)" in s and "limit" in s]
    first = client.get("/submissions/").get_data(as_text=True)
    assert "Mẫu 2" in first and "Trang 1/2 · 3 mục" in first
