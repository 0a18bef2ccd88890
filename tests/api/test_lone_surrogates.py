"""A lone surrogate ("\\ud800") in a JSON string is refused with 422 naming the field, on every
operation that reads text, before anything is written (it used to be a 500 when encoded)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from registry.submissions.models import Placement, Submission
from tests.factories import DEPARTMENT, LAT, LON, SOON, UNIT_A, campaign

LONE = "Pano \ud800 tuyên truyền"


@pytest.fixture
def world(make_user, make_submission, advance, token_for):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    draft = make_submission(designer)
    in_review = advance(make_submission(designer), "in_review", designer, reviewer)
    return {
        "designer": designer,
        "as_designer": token_for(designer),
        "as_reviewer": token_for(reviewer),
        "draft": draft,
        "placement": draft.placements[0],
        "in_review": in_review,
    }


def _new_submission(w):
    c = campaign()
    return {
        "campaign_id": c.id,
        "title": LONE,
        "format": "pano",
        "width_cm": 300,
        "height_cm": 200,
    }


def _new_placement(w):
    return {
        "unit_code": UNIT_A,
        "address": LONE,
        "lat": LAT,
        "lon": LON,
        "site_type": "main_road",
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
    }


# name: (token, method, path, body, field)
CASES = {
    "token-username": (
        None,
        "POST",
        lambda w: "/api/v1/auth/token",
        lambda w: {"username": "designer\ud800", "password": "mat-khau"},
        "username",
    ),
    "token-password": (
        None,
        "POST",
        lambda w: "/api/v1/auth/token",
        lambda w: {"username": w["designer"].username, "password": "\udfff"},
        "password",
    ),
    "create-submission-title": (
        "as_designer",
        "POST",
        lambda w: "/api/v1/submissions",
        _new_submission,
        "title",
    ),
    "patch-submission-description": (
        "as_designer",
        "PATCH",
        lambda w: f"/api/v1/submissions/{w['draft'].id}",
        lambda w: {"description": LONE},
        "description",
    ),
    "add-placement-address": (
        "as_designer",
        "POST",
        lambda w: f"/api/v1/submissions/{w['draft'].id}/placements",
        _new_placement,
        "address",
    ),
    "patch-placement-unit-code": (
        "as_designer",
        "PATCH",
        lambda w: f"/api/v1/placements/{w['placement'].id}",
        lambda w: {"unit_code": "\ud800"},
        "unit_code",
    ),
    "transition-comment": (
        "as_designer",
        "POST",
        lambda w: f"/api/v1/submissions/{w['draft'].id}/transitions",
        lambda w: {"action": "withdraw", "comment": LONE},
        "comment",
    ),
    "review-answer-comment": (
        "as_reviewer",
        "PUT",
        lambda w: f"/api/v1/submissions/{w['in_review'].id}/review/answers",
        lambda w: [{"item": "CT-11", "result": "fail", "comment": LONE}],
        "comment",
    ),
    "annotation-body": (
        "as_reviewer",
        "POST",
        lambda w: f"/api/v1/versions/{w['in_review'].versions[0].id}/annotations",
        lambda w: {"x": 0.5, "y": 0.5, "body": LONE},
        "body",
    ),
}


def _snapshot():
    return (
        db.session.scalar(sa.select(sa.func.count(AuditEvent.id))),
        db.session.scalar(sa.select(sa.func.count(Submission.id))),
        db.session.scalar(sa.select(sa.func.count(Placement.id))),
    )


@pytest.mark.parametrize("case", list(CASES))
def test_lone_surrogate_in_json_is_a_422_naming_the_field_and_writes_nothing(client, world, case):
    token, method, path, body, field = CASES[case]
    before = _snapshot()
    response = client.open(
        path(world), method=method, json=body(world), headers=world[token] if token else {}
    )
    assert response.status_code == 422, (case, response.get_data(as_text=True)[:300])
    error = response.json["error"]
    assert error["code"] == "bad_text" and error["field"] == field, error
    assert f"({field}) chứa ký tự không hợp lệ (U+D" in error["message"], error["message"]
    assert _snapshot() == before
