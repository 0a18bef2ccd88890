"""GET /api/v1/notifications lists only the caller's; POST …/{id}/read marks one read and answers
404 for another user's."""

from __future__ import annotations

import sqlalchemy as sa

from registry.extensions import db
from registry.notifications.models import Notification
from registry.workflow import apply_transition
from tests.factories import DEPARTMENT


def _submit_many(designer, make_submission, n: int) -> None:
    for i in range(n):
        apply_transition(designer, make_submission(designer, title=f"Pano số {i + 1}"), "submit")
    db.session.commit()


def test_the_list_is_mine_newest_first_and_paginated(
    client, token_for, designer, reviewer, make_user, make_submission
):
    other = make_user("reviewer", DEPARTMENT)
    _submit_many(designer, make_submission, 3)
    headers = token_for(reviewer)
    response = client.get("/api/v1/notifications?per_page=2", headers=headers)
    assert response.status_code == 200
    first = response.json
    assert [n["title"] for n in first] == [
        "Hồ sơ mới chờ thẩm định: “Pano số 3”",
        "Hồ sơ mới chờ thẩm định: “Pano số 2”",
    ]
    assert first[0]["kind"] == "submitted" and first[0]["read_at"] is None
    assert first[0]["url"].endswith(f"/reviews/{first[0]['submission_id']}")
    second = client.get("/api/v1/notifications?per_page=2&page=2", headers=headers).json
    assert [n["title"] for n in second] == ["Hồ sơ mới chờ thẩm định: “Pano số 1”"]
    mine = {
        n.id
        for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == reviewer.id)
        )
    }
    assert {n["id"] for n in first + second} == mine
    assert client.get("/api/v1/notifications", headers=token_for(other)).json[0]["id"] not in mine


def test_marking_read_works_on_mine_and_answers_404_for_anothers(
    client, token_for, designer, reviewer, make_user, make_submission
):
    other = make_user("reviewer", DEPARTMENT)
    _submit_many(designer, make_submission, 1)
    headers = token_for(reviewer)
    [mine] = client.get("/api/v1/notifications", headers=headers).json
    [theirs] = client.get("/api/v1/notifications", headers=token_for(other)).json
    response = client.post(f"/api/v1/notifications/{theirs['id']}/read", headers=headers)
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"
    response = client.post(f"/api/v1/notifications/{mine['id']}/read", headers=headers)
    assert response.status_code == 200 and response.json["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true", headers=headers).json
    assert unread == []
    assert client.get("/api/v1/notifications?unread=true", headers=token_for(other)).json


def test_the_openapi_document_describes_both_operations(client):
    spec = client.get("/api/v1/openapi.json").json
    assert "get" in spec["paths"]["/api/v1/notifications"]
    read = spec["paths"]["/api/v1/notifications/{notification_id}/read"]["post"]
    assert "not_found" in read["responses"]["404"]["description"]
