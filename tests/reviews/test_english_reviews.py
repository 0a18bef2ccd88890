"""A reviewer, a head of division and a locality who chose English read the review queue, the
review page, the sign-off page, the approved library and its messages in English; a passer-by
who picks English in the footer reads the public verification page in English."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from registry.campaigns.models import CHECKLIST_GROUPS
from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.workflow import apply_transition
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT, UNIT_A, answer_all, fail_one, use_two_step_signoff


def _english(user):
    user.language = "en"
    db.session.commit()
    return user


def _main(response) -> str:
    """The page's own content (the navigation and footer around it belong to other pages)."""
    html = response.get_data(as_text=True)
    return html[html.index("<main>") : html.index("</main>")]


def _asset_of(submission) -> ApprovedAsset:
    return db.session.scalars(
        sa.select(ApprovedAsset).where(ApprovedAsset.submission_id == submission.id)
    ).one()


def _post(client, url, data, page):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


@pytest.fixture
def in_review(designer, reviewer, make_submission, advance):
    submission = make_submission(designer, title="Pano Kết luận 288")
    return advance(submission, "in_review", designer, reviewer)


def test_an_english_speaking_reviewer_reads_the_queue_in_english(
    client, login, designer, reviewer, make_submission, advance
):
    advance(make_submission(designer, title="Pano chờ nhận"), "submitted", designer, reviewer)
    login(_english(reviewer))
    html = _main(client.get("/reviews/"))
    assert "<h1>Review queue</h1>" in html
    assert "Pano chờ nhận" in html  # what people typed stays as typed
    assert ">Claim</button>" in html and 'data-label="Review due date"' in html
    for vietnamese in ("Hàng chờ thẩm định", "Nhận thẩm định", "Hạn thẩm định", "Mọi đợt"):
        assert vietnamese not in html


def test_the_review_page_shows_checklist_groups_and_decisions_in_english(
    client, login, reviewer, in_review
):
    login(_english(reviewer))
    html = _main(client.get(f"/reviews/{in_review.id}"))
    assert "Review: Pano Kết luận 288" in html
    # The checklist groups' names come from code (registry.campaigns.models, translated with
    # the campaigns): each heading is its name as an English reader reads it.
    with force_locale("en"):
        for code in ("CT", "MQ"):
            assert f"{code} — {CHECKLIST_GROUPS[code]}" in html
    for button in (">Approve</button>", ">Request changes</button>", ">Reject</button>"):
        assert button in html
    assert ">Save assessment</button>" in html and ">Pin comment</button>" in html
    for vietnamese in (
        "Lưu đánh giá",
        "Yêu cầu chỉnh sửa",
        "Ý kiến kết luận",
    ):
        assert vietnamese not in html


def test_a_refused_decision_and_a_saved_assessment_are_told_in_english(
    client, login, reviewer, in_review
):
    login(_english(reviewer))
    page = f"/reviews/{in_review.id}"
    refused = _post(
        client,
        f"/submissions/{in_review.id}/transition",
        {"action": "approve", "lock_version": in_review.lock_version},
        page,
    )
    assert refused.status_code == 409
    html = _main(refused)
    assert "Cannot approve yet: these criteria have not passed or are not assessed:" in html
    assert "Chưa thể duyệt" not in html
    saved = _post(client, f"/reviews/{in_review.id}/answers", {"result-CT-11": "pass"}, page)
    assert saved.status_code == 303
    assert "Assessment saved." in _main(client.get(page))


def test_a_decision_is_confirmed_with_its_english_name(client, login, reviewer, in_review):
    login(_english(reviewer))
    fail_one(reviewer, in_review, "CT-11", "Sai năm ban hành nghị quyết.")
    db.session.commit()
    db.session.refresh(in_review)
    decided = _post(
        client,
        f"/submissions/{in_review.id}/transition",
        {"action": "request_changes", "lock_version": in_review.lock_version},
        f"/reviews/{in_review.id}",
    )
    assert decided.status_code == 303
    flashed = re.findall(
        r'class="flash flash-success"[^>]*>([^<]*)<', _main(client.get(decided.location))
    )
    # The decision's name is the reviewer's language ("Đã thực hiện: …" around it belongs to
    # the submission pages' own translation).
    assert len(flashed) == 1 and "Request changes" in flashed[0], flashed
    assert "Yêu cầu chỉnh sửa" not in flashed[0]


def test_a_form_error_on_the_review_page_is_in_english(client, login, reviewer, in_review):
    login(_english(reviewer))
    version = in_review.latest_version
    response = _post(
        client,
        f"/reviews/versions/{version.id}/annotations",
        {"x": "0.5", "y": "0.5", "body": ""},
        f"/reviews/{in_review.id}",
    )
    assert response.status_code == 303
    html = _main(client.get(f"/reviews/{in_review.id}"))
    assert "Please type the pin comment." in html
    assert "Vui lòng nhập nội dung ghi chú." not in html


def test_an_english_speaking_head_reads_the_signoff_page_in_english(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    head = _english(make_user("head", DEPARTMENT))
    use_two_step_signoff()
    submission = make_submission(designer, title="Pano chờ ký")
    advance(submission, "in_review", designer, reviewer)
    answer_all(reviewer, submission)
    fail_one(reviewer, submission, code="MQ-04", comment="Vị trí gần mẫu khác.")
    answer_all(reviewer, submission)
    apply_transition(reviewer, submission, "recommend_approval", comment="Đề nghị duyệt.")
    db.session.commit()
    login(head)
    html = _main(client.get("/reviews/signoff"))
    assert "<h1>Awaiting sign-off</h1>" in html
    assert "<strong>Recommend approval</strong>" in html
    assert ">Sign off the approval</button>" in html
    assert "Automatic results changed by the reviewer" in html
    assert "Đề nghị duyệt." in html  # the reviewer's own words are not translated
    for vietnamese in ("Chờ ký duyệt", "Đề xuất duyệt", "Ký chấp thuận mẫu", "Tiêu chí không đạt"):
        assert vietnamese not in html


def test_an_english_speaking_locality_reads_the_library_and_an_asset_in_english(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    submission = make_submission(designer, title="Pano thư viện")
    code = _asset_of(advance(submission, "approved", designer, reviewer)).code
    locality = _english(make_user("locality", UNIT_A))
    login(locality)
    listing = _main(client.get("/library/"))
    assert "Approved library usable in" in listing
    assert 'data-label="Validity"' in listing and ">Download</a>" in listing
    assert ">Valid</option>" in listing and "Còn hiệu lực" not in listing
    assert "Thư viện mẫu đã duyệt" not in listing
    detail = _main(client.get(f"/library/{code}"))
    assert "Approval details" in detail and "Validity period" in detail
    assert "Download the artwork file" in detail and "Approval sheet (printable)" in detail
    assert "Thông tin phê duyệt" not in detail and "Tải tệp mẫu" not in detail
    sheet = client.get(f"/library/{code}/sheet").get_data(as_text=True)
    assert 'lang="en"' in sheet and "SOCIALIST REPUBLIC OF VIET NAM" in sheet
    assert "CỘNG HÒA" not in sheet


def test_a_passer_by_who_chooses_english_reads_the_verification_page_in_english(
    app, client, designer, reviewer, make_submission, advance
):
    submission = make_submission(designer, title="Pano tra cứu")
    asset = _asset_of(advance(submission, "approved", designer, reviewer))
    passer_by = app.test_client()
    before = passer_by.get(f"/verify/{asset.code}").get_data(as_text=True)
    assert 'lang="vi"' in before and "Tra cứu mẫu cổ động đã duyệt" in before  # until they choose
    passer_by.post(
        "/language",
        data={
            "language": "en",
            "next": f"/verify/{asset.code}",
            "csrf_token": csrf_token(passer_by, f"/verify/{asset.code}"),
        },
    )
    html = _main(passer_by.get(f"/verify/{asset.code}"))
    assert "Approved propaganda artwork verification" in html
    assert "Date of approval" in html and "Approval code" in html
    assert f"{asset.valid_from.day} {asset.valid_from:%b %Y}" in html  # "1 Dec 2026"
    for vietnamese in ("hiệu lực", "Đã duyệt", "Mã phê duyệt", "Ngày phê duyệt", "Tra cứu mã khác"):
        assert vietnamese not in html
    missing = passer_by.get("/verify/QLVH-2000-999999")
    assert missing.status_code == 404
    assert "Approval code not found" in missing.get_data(as_text=True)
