"""The JSON API: tokens, submissions, versions, placements, transitions, reviews, annotations."""

import io

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.submissions.models import ArtworkVersion, Submission
from tests import images
from tests.conftest import post_multipart, stored_keys
from tests.factories import DEPARTMENT, LAT, LON, SOON, UNIT_A, UNIT_B, campaign


def _new(client, headers, **overrides):
    c = campaign()
    body = {
        "campaign_id": c.id,
        "title": "Băng rôn API",
        "format": "bang_ron",
        "width_cm": 800,
        "height_cm": 80,
        "slogan_ids": [c.active_slogans[1].id],
    }
    body.update(overrides)
    return client.post("/api/v1/submissions", json=body, headers=headers)


def _placement(**overrides):
    body = {
        "unit_code": UNIT_A,
        "address": "Cổng UBND phường",
        "lat": LAT,
        "lon": LON,
        "site_type": "administrative_center",
        "quantity": 1,
        "display_from": SOON.isoformat(),
        "display_to": SOON.isoformat(),
    }
    body.update(overrides)
    return body


def test_token_is_issued_for_good_credentials_only(client, designer):
    ok = client.post(
        "/api/v1/auth/token",
        json={"username": designer.username, "password": "mat-khau-thu-nghiem"},
    )
    assert ok.status_code == 200 and ok.json["token"]
    bad = client.post("/api/v1/auth/token", json={"username": designer.username, "password": "sai"})
    assert bad.status_code == 401
    assert bad.json["error"]["message"].startswith("Tên đăng nhập hoặc mật khẩu không đúng")


def test_forged_or_missing_token_is_refused(client):
    for header in ({}, {"Authorization": "Bearer forged"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/campaigns", headers=header)
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"


def test_reference_data_lists_campaigns_with_slogans_and_units(client, designer, token_for):
    headers = token_for(designer)
    campaigns = client.get("/api/v1/campaigns", headers=headers).json
    assert campaigns[0]["slogans"][0]["text"] == "Đảng Cộng sản Việt Nam quang vinh muôn năm!"
    assert len(client.get("/api/v1/units", headers=headers).json) == 106


def test_designer_creates_uploads_places_and_submits_through_the_api(client, designer, token_for):
    headers = token_for(designer)
    created = _new(client, headers)
    assert created.status_code == 201, created.json
    sid = created.json["id"]
    assert created.json["status"] == "draft" and created.json["unit_code"] == UNIT_A
    upload = post_multipart(
        client,
        f"/api/v1/submissions/{sid}/versions",
        {
            "file": (io.BytesIO(images.png_bytes(8000, 800)), "b.png"),
            "print_file": (io.BytesIO(images.pdf_bytes()), "b.pdf"),
        },
        headers=headers,
    )
    assert upload.status_code == 201, upload.json
    assert (upload.json["width_px"], upload.json["print_kind"]) == (8000, "pdf")
    # 25.4 ppi, and the print file is a vector PDF: print-ready, nothing to warn about.
    assert upload.json["effective_ppi"] == 25.4 and upload.json["warnings"] == []
    too_close = client.post(
        f"/api/v1/submissions/{sid}/placements",
        json=_placement(viewing_distance_m=0),
        headers=headers,
    )
    assert too_close.status_code == 422
    assert too_close.json["error"]["errors"]["json"]["viewing_distance_m"] == [
        "Khoảng cách xem từ 1 đến 500 m."
    ]
    placed = client.post(
        f"/api/v1/submissions/{sid}/placements",
        json=_placement(viewing_distance_m=12.5),
        headers=headers,
    )
    assert placed.status_code == 201, placed.json
    assert placed.json["viewing_distance_m"] == 12.5
    moved = client.patch(
        f"/api/v1/placements/{placed.json['id']}",
        json={"address": "Chợ Long Xuyên"},
        headers=headers,
    )
    assert moved.status_code == 200 and moved.json["address"] == "Chợ Long Xuyên"
    submitted = client.post(
        f"/api/v1/submissions/{sid}/transitions", json={"action": "submit"}, headers=headers
    )
    assert submitted.status_code == 200 and submitted.json["status"] == "submitted"
    locked = client.patch(f"/api/v1/submissions/{sid}", json={"title": "Đổi"}, headers=headers)
    assert locked.status_code == 403


def test_validation_errors_name_the_fields(client, designer, token_for):
    response = _new(client, token_for(designer), format="poster", width_cm=-1)
    assert response.status_code == 422
    assert set(response.json["error"]["errors"]["json"]) == {"format", "width_cm"}


def test_guard_failures_are_409_with_the_reason(client, designer, token_for, make_submission):
    submission = make_submission(designer, artwork=None, placements=0)
    response = client.post(
        f"/api/v1/submissions/{submission.id}/transitions",
        json={"action": "submit"},
        headers=token_for(designer),
    )
    assert response.status_code == 409
    assert "Cần tải lên ít nhất một phiên bản mẫu." in response.json["error"]["message"]


def test_stale_lock_version_is_refused(client, designer, token_for, make_submission):
    submission = make_submission(designer)
    response = client.patch(
        f"/api/v1/submissions/{submission.id}",
        json={"title": "Mới", "lock_version": 1},
        headers=token_for(designer),
    )
    assert response.status_code == 409 and response.json["error"]["code"] == "stale"


def test_bad_upload_through_the_api_leaves_nothing(
    client, app, designer, token_for, make_submission
):
    submission = make_submission(designer, artwork=None)
    response = post_multipart(
        client,
        f"/api/v1/submissions/{submission.id}/versions",
        {"file": (io.BytesIO(images.zip_bytes()), "a.jpg")},
        headers=token_for(designer),
    )
    assert response.status_code == 422
    assert "PNG, JPEG, TIFF" in response.json["error"]["message"]
    assert stored_keys(app, "uploads") == set()
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "/api/v1/submissions/{sid}", None),
        ("patch", "/api/v1/submissions/{sid}", {"title": "Chiếm"}),
        ("post", "/api/v1/submissions/{sid}/placements", "placement"),
        ("post", "/api/v1/submissions/{sid}/transitions", {"action": "submit"}),
        ("patch", "/api/v1/placements/{pid}", {"address": "x"}),
        ("delete", "/api/v1/placements/{pid}", None),
        ("get", "/api/v1/submissions/{sid}/review", None),
        ("get", "/api/v1/versions/{vid}/annotations", None),
    ],
)
def test_designer_of_another_unit_gets_404_for_everything(
    client, designer, make_user, token_for, make_submission, method, path, body
):
    submission = make_submission(designer)
    intruder = token_for(make_user("designer", UNIT_B))
    url = path.format(
        sid=submission.id, pid=submission.placements[0].id, vid=submission.versions[0].id
    )
    payload = _placement() if body == "placement" else body
    response = getattr(client, method)(url, json=payload, headers=intruder)
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "draft"


def test_list_contains_only_the_callers_unit(
    client, designer, make_user, token_for, make_submission
):
    make_submission(designer, title="Của A")
    make_submission(make_user("designer", UNIT_B), title="Của B")
    titles = [
        s["title"] for s in client.get("/api/v1/submissions", headers=token_for(designer)).json
    ]
    assert titles == ["Của A"]
    reviewer = make_user("reviewer", DEPARTMENT)
    assert len(client.get("/api/v1/submissions", headers=token_for(reviewer)).json) == 2


def test_reviewer_works_a_submission_through_the_api(
    client, designer, make_user, token_for, make_submission, advance
):
    reviewer = make_user("reviewer", DEPARTMENT)
    # 300 × 200 px on a 300 × 200 cm panel seen from a main road: 2.5 ppi, below 8.7.
    thumbnail = images.png_bytes(300, 200)
    submission = make_submission(designer, artwork=thumbnail)
    submission = advance(submission, "submitted", designer, reviewer)
    headers = token_for(reviewer)
    sid = submission.id
    claimed = client.post(
        f"/api/v1/submissions/{sid}/transitions", json={"action": "claim"}, headers=headers
    )
    assert claimed.status_code == 200 and claimed.json["status"] == "in_review"
    review = client.get(f"/api/v1/submissions/{sid}/review", headers=headers).json
    auto = {a["item"]: a["automatic_result"] for a in review["answers"] if a["automatic_result"]}
    assert auto["MQ-07"] == "fail" and "ppi" in next(
        a["evidence"]["summary"] for a in review["answers"] if a["item"] == "MQ-07"
    )
    note = client.post(
        f"/api/v1/versions/{submission.versions[0].id}/annotations",
        json={"x": 0.5, "y": 0.1, "body": "Chữ quá nhỏ"},
        headers=headers,
    )
    assert note.status_code == 201 and note.json["author"] == reviewer.username
    refused = client.put(
        f"/api/v1/submissions/{sid}/review/answers",
        json=[{"item": "MQ-07", "result": "pass"}],
        headers=headers,
    )
    assert refused.status_code == 422
    answered = client.put(
        f"/api/v1/submissions/{sid}/review/answers",
        json=[{"item": "MQ-08", "result": "fail", "comment": "Chữ quá nhỏ"}],
        headers=headers,
    )
    assert answered.status_code == 200
    decided = client.post(
        f"/api/v1/submissions/{sid}/transitions",
        json={"action": "reject", "comment": "Không phù hợp"},
        headers=headers,
    )
    assert decided.status_code == 200 and decided.json["status"] == "rejected"


def test_openapi_document_describes_every_operation(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/submissions",
        "/api/v1/submissions/{submission_id}",
        "/api/v1/submissions/{submission_id}/versions",
        "/api/v1/submissions/{submission_id}/placements",
        "/api/v1/placements/{placement_id}",
        "/api/v1/submissions/{submission_id}/transitions",
        "/api/v1/submissions/{submission_id}/review",
        "/api/v1/submissions/{submission_id}/review/answers",
        "/api/v1/versions/{version_id}/annotations",
    ):
        assert path in paths, path
    assert "bearerAuth" in spec["components"]["securitySchemes"]
