"""Numbers and dates are taken as meant or refused: no truncated quantity, no ignored lock
version, no display period decades away, no checklist item answered twice in one request."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from registry.clock import display_horizon, local_today
from registry.extensions import db
from registry.reviews.models import ChecklistAnswer
from registry.reviews.operations import current_review
from registry.submissions.models import ArtworkVersion, Placement, Submission
from registry.workflow import apply_transition
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys
from tests.factories import LAT, LON, SOON, UNIT_A, campaign


def _placement(**overrides) -> dict:
    body = {
        "unit_code": UNIT_A,
        "address": "Cổng UBND phường",
        "lat": LAT,
        "lon": LON,
        "site_type": "administrative_center",
        "quantity": 1,
        "display_from": SOON.isoformat(),
        "display_to": (SOON + timedelta(days=30)).isoformat(),
    }
    return {**body, **overrides}


def _placements(submission_id: int) -> list[Placement]:
    db.session.expire_all()
    return list(
        db.session.scalars(sa.select(Placement).where(Placement.submission_id == submission_id))
    )


# --- quantity -----------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [2.5, 1.0000001, "2.5"])
def test_a_fractional_quantity_is_refused_by_the_api_never_truncated(
    client, designer, token_for, make_submission, quantity
):
    submission = make_submission(designer, placements=0)
    headers = token_for(designer)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/placements",
        json=_placement(quantity=quantity),
        headers=headers,
    )
    assert response.status_code == 422
    assert "quantity" in response.json["error"]["errors"]["json"]
    assert _placements(submission.id) == []
    kept = make_submission(designer).placements[0]
    changed = client.patch(f"/api/v1/placements/{kept.id}", json={"quantity": 2.5}, headers=headers)
    assert changed.status_code == 422
    assert db.session.get(Placement, kept.id).quantity == 1


def test_a_whole_quantity_written_as_a_json_float_is_taken(
    client, designer, token_for, make_submission
):
    submission = make_submission(designer, placements=0)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/placements",
        json=_placement(quantity=3.0),
        headers=token_for(designer),
    )
    assert response.status_code == 201 and response.json["quantity"] == 3


def test_a_fractional_quantity_is_refused_by_the_placement_form(
    client, login, designer, make_submission
):
    login(designer)
    submission = make_submission(designer, placements=0)
    data = {k: str(v) for k, v in _placement(quantity="2.5").items()}
    response = client.post(
        f"/submissions/{submission.id}/placements/new",
        data={**data, "csrf_token": csrf_token(client, f"/submissions/{submission.id}")},
    )
    assert response.status_code == 400
    assert "Vui lòng nhập một số nguyên." in response.get_data(as_text=True)
    assert _placements(submission.id) == []


# --- lock_version on uploads --------------------------------------------------------------


@pytest.mark.parametrize("lock_version", ["abc", "2.5", "-1", "²", "9" * 30])
def test_a_malformed_lock_version_on_an_api_upload_is_refused_and_stores_nothing(
    app, client, designer, token_for, make_submission, lock_version
):
    submission = make_submission(designer, artwork=None)
    response = post_multipart(
        client,
        f"/api/v1/submissions/{submission.id}/versions",
        {"file": (io.BytesIO(images.png_bytes(300, 200)), "mau.png"), "lock_version": lock_version},
        headers=token_for(designer),
    )
    assert response.status_code == 422, response.json
    assert response.json["error"]["field"] == "lock_version"
    assert "lock_version" in response.json["error"]["message"]
    assert stored_keys(app, "uploads") == set()
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


def test_the_current_lock_version_on_an_api_upload_is_accepted_and_a_stale_one_refused(
    client, designer, token_for, make_submission
):
    submission = make_submission(designer, artwork=None)
    headers = token_for(designer)

    def send(lock_version: int):
        return post_multipart(
            client,
            f"/api/v1/submissions/{submission.id}/versions",
            {
                "file": (io.BytesIO(images.png_bytes(300, 200)), "mau.png"),
                "lock_version": str(lock_version),
            },
            headers=headers,
        )

    assert send(submission.lock_version + 7).status_code == 409
    assert send(submission.lock_version).status_code == 201


@pytest.mark.parametrize("lock_version", ["abc", "²"])
def test_a_malformed_lock_version_on_the_upload_form_is_refused_as_stale(
    app, client, login, designer, make_submission, lock_version
):
    login(designer)
    submission = make_submission(designer, artwork=None)
    response = post_multipart(
        client,
        f"/submissions/{submission.id}/versions",
        {
            "file": (io.BytesIO(images.png_bytes(300, 200)), "mau.png"),
            "lock_version": lock_version,
            "csrf_token": csrf_token(client, f"/submissions/{submission.id}"),
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409
    assert stored_keys(app, "uploads") == set()


# --- display periods ----------------------------------------------------------------------


@pytest.mark.parametrize("display_to", ["9999-12-31", "horizon+1"])
def test_a_display_period_past_the_horizon_of_an_open_ended_campaign_is_refused(
    client, designer, token_for, make_submission, display_to
):
    assert campaign().ends_on is None  # the sample campaign is open-ended
    horizon = display_horizon()
    if display_to == "horizon+1":
        display_to = (horizon + timedelta(days=1)).isoformat()
    submission = make_submission(designer, placements=0)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/placements",
        json=_placement(display_to=display_to),
        headers=token_for(designer),
    )
    assert response.status_code == 422
    assert response.json["error"]["field"] == "display_to"
    assert f"muộn nhất ngày {horizon:%d/%m/%Y}" in response.json["error"]["message"]
    assert _placements(submission.id) == []


def test_a_display_period_ending_on_the_horizon_is_accepted(
    client, designer, token_for, make_submission
):
    submission = make_submission(designer, placements=0)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/placements",
        json=_placement(display_to=display_horizon().isoformat()),
        headers=token_for(designer),
    )
    assert response.status_code == 201


def test_the_horizon_is_five_years_by_default_and_configurable(app, ctx, monkeypatch):
    assert app.config["REGISTRY_DISPLAY_HORIZON_YEARS"] == 5
    assert display_horizon(date(2026, 6, 1)) == date(2031, 6, 1)
    assert display_horizon() > local_today()
    monkeypatch.setitem(app.config, "REGISTRY_DISPLAY_HORIZON_YEARS", 1)
    assert display_horizon(date(2028, 2, 29)) == date(2029, 2, 28)
    assert display_horizon(date(2026, 6, 1)) == date(2027, 6, 1)


def test_a_display_period_past_a_dated_campaigns_end_is_refused_on_the_form(
    client, login, designer, make_submission
):
    c = campaign()
    c.ends_on = SOON + timedelta(days=60)
    db.session.commit()
    login(designer)
    submission = make_submission(designer, placements=0)
    data = {k: str(v) for k, v in _placement(display_to="9999-12-31").items()}
    response = client.post(
        f"/submissions/{submission.id}/placements/new",
        data={**data, "csrf_token": csrf_token(client, f"/submissions/{submission.id}")},
    )
    assert response.status_code == 422
    assert f"– {c.ends_on:%d/%m/%Y})" in response.get_data(as_text=True)
    assert _placements(submission.id) == []


def _stretch_to_9999(submission: Submission) -> None:
    """A placement stored before the rule existed (or by hand): its period ends in 9999."""
    submission.placements[0].display_to = date(9999, 12, 31)
    db.session.commit()


def test_submit_refuses_a_stored_placement_past_the_horizon(
    client, designer, token_for, make_submission
):
    submission = make_submission(designer)
    _stretch_to_9999(submission)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/transitions",
        json={"action": "submit"},
        headers=token_for(designer),
    )
    assert response.status_code == 409
    assert "nằm ngoài thời gian của đợt" in response.json["error"]["message"]


def test_the_period_precheck_fails_a_placement_past_the_horizon_so_approval_needs_a_reviewer(
    client, designer, reviewer, make_submission, token_for
):
    submission = make_submission(designer)
    apply_transition(designer, submission, "submit")
    db.session.commit()
    _stretch_to_9999(submission)
    apply_transition(reviewer, submission, "claim")
    db.session.commit()
    pl04 = next(a for a in current_review(submission).answers if a.item.code == "PL-04")
    assert pl04.automatic_result == "fail"
    assert "9999-12-31" in str(pl04.evidence)
    headers = token_for(reviewer)
    answers = [
        {"item": a.item.code, "result": "pass", "comment": ""}
        for a in current_review(submission).answers
        if a.automatic_result in (None, "pass")
    ]
    assert (
        client.put(
            f"/api/v1/submissions/{submission.id}/review/answers", json=answers, headers=headers
        ).status_code
        == 200
    )
    approved = client.post(
        f"/api/v1/submissions/{submission.id}/transitions",
        json={"action": "approve"},
        headers=headers,
    )
    assert approved.status_code == 409
    assert "PL-04" in approved.json["error"]["message"]


# --- checklist answers --------------------------------------------------------------------


@pytest.fixture
def claimed(designer, reviewer, make_submission, advance):
    return advance(make_submission(designer), "in_review", designer, reviewer)


def _answer(submission, code: str) -> ChecklistAnswer:
    db.session.expire_all()
    return next(a for a in current_review(submission).answers if a.item.code == code)


def test_an_item_answered_twice_in_one_api_request_is_refused_and_nothing_changes(
    client, reviewer, token_for, claimed
):
    before = _answer(claimed, "CT-11").result
    response = client.put(
        f"/api/v1/submissions/{claimed.id}/review/answers",
        json=[
            {"item": "CT-11", "result": "pass"},
            {"item": "CT-05", "result": "pass"},
            {"item": "CT-11", "result": "fail", "comment": "Sai nội dung."},
        ],
        headers=token_for(reviewer),
    )
    assert response.status_code == 422
    error = response.json["error"]
    assert (error["code"], error["field"]) == ("duplicate_item", "item")
    assert "CT-11" in error["message"] and "CT-05" not in error["message"]
    assert _answer(claimed, "CT-11").result == before
    assert _answer(claimed, "CT-05").result is None


def test_an_item_answered_twice_in_the_review_form_is_refused(client, login, reviewer, claimed):
    login(reviewer)
    page = f"/reviews/{claimed.id}"
    response = client.post(
        f"/reviews/{claimed.id}/answers",
        data={
            "result-CT-11": ["pass", "fail"],
            "comment-CT-11": ["", "Sai nội dung."],
            "csrf_token": csrf_token(client, page),
        },
    )
    assert response.status_code == 422
    assert "tiêu chí lặp lại: CT-11" in response.get_data(as_text=True)
    assert _answer(claimed, "CT-11").result is None
