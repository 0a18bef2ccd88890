"""The head of division's page and the two-step sign-off through pages and the API."""

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.library.models import ApprovedAsset
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT, UNIT_A, answer_all, fail_one, use_two_step_signoff


@pytest.fixture
def people(make_user):
    return {
        "designer": make_user("designer", UNIT_A),
        "reviewer": make_user("reviewer", DEPARTMENT),
        "head": make_user("head", DEPARTMENT),
    }


def _awaiting(make_submission, advance, people, *, title="Pano chờ ký"):
    use_two_step_signoff()
    submission = make_submission(people["designer"], title=title)
    advance(submission, "in_review", people["designer"], people["reviewer"])
    answer_all(people["reviewer"], submission)
    fail_one(people["reviewer"], submission, code="MQ-04", comment="Vị trí gần mẫu khác.")
    answer_all(people["reviewer"], submission)
    from registry.workflow import apply_transition

    apply_transition(
        people["reviewer"], submission, "recommend_approval", comment="Đề nghị duyệt mẫu này."
    )
    db.session.commit()
    return submission


def test_the_head_sees_what_awaits_signature_with_the_reviewers_summary(
    client, login, people, make_submission, advance
):
    submission = _awaiting(make_submission, advance, people)
    login(people["head"])
    html = client.get("/reviews/signoff").get_data(as_text=True)
    assert "Pano chờ ký" in html and "Đề xuất duyệt" in html
    assert "Đề nghị duyệt mẫu này." in html
    assert people["reviewer"].display_name in html
    assert f"/versions/{submission.versions[0].id}/thumb.webp" in html
    assert 'data-count="awaiting_signoff">1<' in html


def test_the_head_lists_failed_and_overridden_items(
    client, login, people, make_submission, advance
):
    use_two_step_signoff()
    submission = make_submission(people["designer"])
    advance(submission, "in_review", people["designer"], people["reviewer"])
    fail_one(people["reviewer"], submission, code="CT-11", comment="Sai nội dung khẩu hiệu.")
    from registry.workflow import apply_transition

    apply_transition(people["reviewer"], submission, "recommend_rejection", comment="Không đạt.")
    db.session.commit()
    login(people["head"])
    html = client.get("/reviews/signoff").get_data(as_text=True)
    assert "CT-11" in html and "Sai nội dung khẩu hiệu." in html
    assert "Đề xuất không duyệt" in html


def test_the_head_signs_from_the_page_and_the_asset_is_issued(
    client, login, people, make_submission, advance
):
    submission = _awaiting(make_submission, advance, people)
    login(people["head"])
    response = client.post(
        f"/submissions/{submission.id}/transition",
        data={
            "action": "sign",
            "lock_version": submission.lock_version,
            "csrf_token": csrf_token(client, "/reviews/signoff"),
        },
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/reviews/signoff")
    db.session.expire_all()
    asset = db.session.scalar(sa.select(ApprovedAsset))
    assert asset is not None and asset.approved_by_id == people["head"].id


def test_a_reviewer_cannot_open_the_signoff_page(client, login, people):
    login(people["reviewer"])
    assert client.get("/reviews/signoff").status_code == 403


def test_the_api_signs_and_returns_through_the_transitions_endpoint(
    client, token_for, people, make_submission, advance
):
    submission = _awaiting(make_submission, advance, people)
    url = f"/api/v1/submissions/{submission.id}/transitions"
    headers = token_for(people["head"])
    refused = client.post(url, json={"action": "return", "comment": ""}, headers=headers)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "reason_required"
    back = client.post(url, json={"action": "return", "comment": "Xem lại."}, headers=headers)
    assert back.status_code == 200 and back.json["status"] == "in_review"
    reviewer = token_for(people["reviewer"])
    again = client.post(url, json={"action": "recommend_approval"}, headers=reviewer)
    assert again.status_code == 200 and again.json["status"] == "awaiting_signoff"
    signed = client.post(url, json={"action": "sign"}, headers=headers)
    assert signed.status_code == 200 and signed.json["status"] == "approved"
