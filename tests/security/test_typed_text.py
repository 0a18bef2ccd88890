"""Typed text, pages and API alike: blanks alone are refused where text is required; control and
bidirectional characters are refused with a message naming the field; decomposed Vietnamese is
stored composed (NFC), so equal words compare equal."""

from __future__ import annotations

import unicodedata

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.reviews.models import Annotation, ChecklistAnswer
from registry.submissions.models import Placement, Submission
from tests.conftest import csrf_token
from tests.factories import LAT, LON, SOON, UNIT_A, campaign

DECOMPOSED_TITLE = unicodedata.normalize("NFD", "Pano tuyên truyền Kết luận 288")


def _events() -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def _new_submission_page(client, **overrides):
    c = campaign()
    data = {
        "campaign_id": c.id,
        "title": "Pano Kết luận 288",
        "format": "pano",
        "scope": "unit",
        "width_cm": "300",
        "height_cm": "200",
        "other_text": "",
        "description": "",
        "csrf_token": csrf_token(client, "/submissions/new"),
    }
    return client.post("/submissions/new", data={**data, **overrides})


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "   \u3000 ", "Vui lòng nhập mục này."),
        ("title", "Pano\x00", "“Tên mẫu” chứa ký tự điều khiển không hiển thị được (U+0000)"),
        ("title", "exe.\u202egnp", "“Tên mẫu” chứa ký tự đảo chiều hiển thị (U+202E)"),
        ("other_text", "Dòng 1\n\u2066Dòng 2", "“Nội dung chữ khác trên mẫu (ghi đầy đủ)” chứa"),
        ("description", "Mô tả\x1b[31m", "“Mô tả ngắn” chứa ký tự điều khiển"),
    ],
)
def test_submission_page_refuses_blank_title_and_hidden_characters(
    client, login, designer, field, value, message
):
    login(designer)
    before = _events()
    response = _new_submission_page(client, **{field: value})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Submission.id))) == 0
    assert _events() == before


def test_decomposed_title_from_the_page_is_stored_composed_and_trimmed(client, login, designer):
    login(designer)
    assert _new_submission_page(client, title=f"  {DECOMPOSED_TITLE}  ").status_code == 302
    stored = db.session.scalar(sa.select(Submission.title))
    assert stored == "Pano tuyên truyền Kết luận 288"
    found = sa.select(Submission.id).where(Submission.title == "Pano tuyên truyền Kết luận 288")
    assert db.session.scalar(found) is not None


def test_placement_page_refuses_a_nul_in_the_address_naming_it(
    client, login, designer, make_submission
):
    submission = make_submission(designer, placements=0)
    login(designer)
    url = f"/submissions/{submission.id}/placements/new"
    response = client.post(
        url,
        data={
            "unit_code": UNIT_A,
            "address": "Số 1\x00 Trần Hưng Đạo",
            "lat": LAT,
            "lon": LON,
            "site_type": "main_road",
            "quantity": 1,
            "display_from": SOON.isoformat(),
            "display_to": SOON.isoformat(),
            "csrf_token": csrf_token(client, url),
        },
    )
    assert response.status_code == 400
    assert "“Địa chỉ” chứa ký tự điều khiển" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 0


def test_transition_comment_with_a_bidi_control_is_refused_naming_it(
    client, login, designer, make_submission
):
    submission = make_submission(designer)
    login(designer)
    page = f"/submissions/{submission.id}"
    before = _events()
    response = client.post(
        f"{page}/transition",
        data={"action": "withdraw", "comment": "Rút\u202e", "csrf_token": csrf_token(client, page)},
    )
    assert response.status_code == 422
    assert "“Ghi chú” chứa ký tự đảo chiều hiển thị" in response.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == "draft" and _events() == before


def _claimed(make_submission, advance, designer, reviewer):
    return advance(make_submission(designer), "in_review", designer, reviewer)


def test_review_page_refuses_hidden_characters_in_answers_and_pinned_comments(
    client, login, designer, reviewer, make_submission, advance
):
    submission = _claimed(make_submission, advance, designer, reviewer)
    login(reviewer)
    page = f"/reviews/{submission.id}"
    response = client.post(
        f"{page}/answers",
        data={
            "result-CT-11": "fail",
            "comment-CT-11": "Sai\x00 nội dung",
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 422
    assert "“Nhận xét CT-11” chứa ký tự điều khiển" in response.get_data(as_text=True)
    saved = sa.select(ChecklistAnswer.id).where(ChecklistAnswer.comment.like("Sai%"))
    assert db.session.scalar(saved) is None
    version, token = submission.versions[0], csrf_token(client, page)
    response = client.post(
        f"/reviews/versions/{version.id}/annotations",
        data={
            "x": "0.5",
            "y": "0.5",
            "body": "\u2067Chữ\u2069",
            "csrf_token": csrf_token(client, page),
        },
        follow_redirects=True,
    )
    assert "“Nội dung ghi chú” chứa ký tự đảo chiều hiển thị" in response.get_data(as_text=True)
    response = client.post(
        f"/reviews/versions/{version.id}/annotations",
        data={"x": "0.5", "y": "0.5", "body": "   ", "csrf_token": token},
        follow_redirects=True,
    )
    assert "Vui lòng nhập nội dung ghi chú." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_revocation_reason_with_a_control_character_is_refused(
    client, login, designer, reviewer, make_submission, advance
):
    submission = advance(make_submission(designer), "approved", designer, reviewer)
    asset = db.session.scalar(sa.select(ApprovedAsset))
    login(reviewer)
    page = f"/library/{asset.code}"
    response = client.post(
        f"{page}/revoke",
        data={"reason": "Thay\x07 mẫu", "csrf_token": csrf_token(client, page)},
        follow_redirects=True,
    )
    assert "“Lý do thu hồi” chứa ký tự điều khiển" in response.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == "approved"


def test_api_refuses_a_blank_title_and_stores_decomposed_text_composed(client, designer, token_for):
    headers = token_for(designer)
    c = campaign()
    body = {"campaign_id": c.id, "format": "pano", "width_cm": 300, "height_cm": 200}
    blank = client.post("/api/v1/submissions", json={**body, "title": " \t "}, headers=headers)
    assert blank.status_code == 422
    assert blank.json["error"] == {
        "code": "blank",
        "field": "title",
        "message": "Vui lòng nhập “Tên mẫu” (title): không để trống hoặc chỉ có dấu cách.",
    }
    made = client.post(
        "/api/v1/submissions", json={**body, "title": DECOMPOSED_TITLE}, headers=headers
    )
    assert made.status_code == 201 and made.json["title"] == "Pano tuyên truyền Kết luận 288"
    placement = {
        "unit_code": UNIT_A,
        "address": "Số 1 Trần Hưng Đạo\u202e",
        "lat": LAT,
        "lon": LON,
        "site_type": "main_road",
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
    }
    refused = client.post(
        f"/api/v1/submissions/{made.json['id']}/placements", json=placement, headers=headers
    )
    assert refused.status_code == 422 and refused.json["error"]["field"] == "address"
    assert "“Địa chỉ” (address) chứa ký tự đảo chiều" in refused.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(Placement.id))) == 0


NUL_ADDRESSES = [
    "/library/?q=%00",
    "/library/?unit=%00",
    "/submissions/?q=%00",
    "/reviews/?unit=%00",
    "/admin/units?q=%00",
    "/admin/users?q=%00",
    "/verify/QLVH%00",
    "/library/QLVH%00",
    "/api/v1/verify/QLVH%00",
    "/api/v1/assets/QLVH%00",
    "/api/v1/submissions?status=%00",
]


@pytest.mark.parametrize("url", NUL_ADDRESSES)
def test_a_nul_in_an_address_or_filter_is_a_400_in_vietnamese(client, login, make_user, url):
    login(make_user("admin", "SVHTT-VP"))
    response = client.get(url)
    assert response.status_code == 400, response.status_code
    said = response.json["error"]["message"] if response.is_json else response.text
    assert "ký tự NUL (%00)" in said


def test_a_nul_in_an_approval_code_of_a_zip_request_names_no_asset(client, login, make_user):
    login(make_user("locality", UNIT_A))
    response = client.post(
        "/library/zip",
        data={"codes": ["QLVH-2026-000001\x00"], "csrf_token": csrf_token(client, "/library/")},
    )
    assert response.status_code == 404
