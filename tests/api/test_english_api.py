"""An API client's messages follow the language setting of the token's user: English for an
English user, Vietnamese (the default) for the others."""

from __future__ import annotations

import pytest

from registry.extensions import db
from tests.factories import DEPARTMENT, UNIT_A, campaign


@pytest.fixture
def english_designer(make_user):
    user = make_user("designer", UNIT_A)
    user.language = "en"
    db.session.commit()
    return user


def test_a_workflow_refusal_is_explained_in_the_token_users_language(
    client, token_for, make_user, make_submission, english_designer
):
    vietnamese = make_user("designer", UNIT_A)
    submission = make_submission(vietnamese)  # a draft: no review yet
    url = f"/api/v1/submissions/{submission.id}/review"

    response = client.get(url, headers=token_for(english_designer))
    assert response.status_code == 409
    assert response.json["error"] == {
        "code": "no_review",
        "message": "The submission has no review yet.",
    }

    response = client.get(url, headers=token_for(vietnamese))
    assert response.status_code == 409
    assert response.json["error"]["message"] == "Hồ sơ chưa có lượt thẩm định nào."


def test_an_invalid_request_is_explained_in_the_token_users_language(
    client, token_for, make_user, english_designer
):
    body = {
        "campaign_id": campaign().id + 1000,
        "title": "Pano",
        "format": "pano",
        "width_cm": 300,
        "height_cm": 200,
    }
    response = client.post("/api/v1/submissions", json=body, headers=token_for(english_designer))
    assert response.status_code == 422
    assert response.json["error"]["field"] == "campaign_id"
    assert response.json["error"]["message"] == "The campaign does not exist."

    vietnamese = make_user("designer", UNIT_A)
    response = client.post("/api/v1/submissions", json=body, headers=token_for(vietnamese))
    assert response.status_code == 422
    assert response.json["error"]["message"] == "Đợt tuyên truyền không tồn tại."


def test_a_display_report_refusal_is_in_english_for_an_english_reviewer(
    client, token_for, make_user
):
    reviewer = make_user("reviewer", DEPARTMENT)
    reviewer.language = "en"
    db.session.commit()
    query = {"campaign_id": campaign().id, "from": "2026-05-01", "to": "2026-04-01"}
    response = client.get(
        "/api/v1/reports/coverage", query_string=query, headers=token_for(reviewer)
    )
    assert response.status_code == 422
    assert response.json["error"]["message"] == "The end date must be after the start date."


def test_the_api_sets_no_cookie_for_the_token_user(client, token_for, english_designer):
    headers = token_for(english_designer)
    client.delete_cookie("session")
    response = client.get("/api/v1/submissions", headers=headers)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_call_without_a_token_is_refused_in_vietnamese(client):
    response = client.get("/api/v1/submissions")
    assert response.status_code == 401
    assert response.json["error"]["message"].startswith("Cần mã truy cập hợp lệ")


def test_a_submission_in_the_api_carries_its_due_date_in_working_days(
    client, make_user, token_for, make_submission, advance, english_designer
):
    designer, reviewer = make_user("designer", UNIT_A), make_user("reviewer", DEPARTMENT)
    submission = make_submission(designer)
    url = f"/api/v1/submissions/{submission.id}"
    assert client.get(url, headers=token_for(designer)).json["due"] is None  # a draft
    advance(submission, "submitted", designer, reviewer)
    body = client.get(url, headers=token_for(designer)).json
    assert body["due_on"] == submission.due_on.isoformat()
    left = body["due"]["working_days"]  # the campaign's 5 working days (4 if sent on a day off)
    assert left in (4, 5)
    assert body["due"] == {
        "state": "later",
        "working_days": left,
        "label": f"Còn {left} ngày làm việc",
    }
    english = client.get(url, headers=token_for(english_designer)).json
    assert english["due"]["label"] == f"Due in {left} working days"
