"""The review page's script saves one item at a time, pins without a reload and recovers its
form token: the JSON answers it relies on."""

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.reviews.models import Annotation, ChecklistAnswer
from registry.submissions import ingest
from tests import images
from tests.conftest import csrf_token
from tests.factories import DEPARTMENT, UNIT_A, upload

JSON = {"Accept": "application/json"}


@pytest.fixture
def claimed(client, login, make_user, make_submission, advance):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    submission = advance(make_submission(designer), "in_review", designer, reviewer)
    login(reviewer)
    return submission


def _answer(submission_id: int, code: str) -> ChecklistAnswer:
    db.session.expire_all()
    return db.session.scalars(
        sa.select(ChecklistAnswer)
        .join(ChecklistAnswer.item)
        .where(ChecklistAnswer.item.has(code=code))
    ).one()


def _save(client, submission, code, result, comment, token=None):
    token = token or csrf_token(client, f"/reviews/{submission.id}")
    data = {f"result-{code}": result, f"comment-{code}": comment, "csrf_token": token}
    return client.post(f"/reviews/{submission.id}/answers", data=data, headers=JSON)


def test_one_item_saves_alone_and_answers_which(client, claimed):
    response = _save(client, claimed, "CT-05", "fail", "Quốc kỳ sai tỉ lệ")
    assert response.status_code == 200 and response.json == {"saved": ["CT-05"]}
    answer = _answer(claimed.id, "CT-05")
    assert (answer.result, answer.comment) == ("fail", "Quốc kỳ sai tỉ lệ")


def test_a_refused_item_is_named_and_leaves_the_saved_answers_alone(client, claimed):
    assert _save(client, claimed, "CT-05", "fail", "Quốc kỳ sai tỉ lệ").status_code == 200
    refused = _save(client, claimed, "PL-07", "fail", "")  # overrides an automatic pass
    assert refused.status_code == 422
    assert "PL-07: cần ghi lý do khi thay đổi kết quả tự động" in refused.json["error"]["message"]
    assert _answer(claimed.id, "PL-07").result == "pass"
    assert _answer(claimed.id, "CT-05").comment == "Quốc kỳ sai tỉ lệ"


def test_a_stale_token_is_answered_in_json_and_a_fresh_one_can_be_fetched(client, claimed):
    stale = _save(client, claimed, "CT-05", "fail", "x", token="forged")
    assert stale.status_code == 400 and stale.json["error"]["code"] == "csrf"
    fresh = client.get("/reviews/csrf-token", headers=JSON)
    assert fresh.status_code == 200
    assert _save(client, claimed, "CT-05", "fail", "x", fresh.json["csrf_token"]).status_code == 200


def test_a_signed_out_save_goes_to_sign_in_and_stores_nothing(client, claimed):
    token = csrf_token(client, f"/reviews/{claimed.id}")
    client.post("/logout", data={"csrf_token": token})
    response = _save(client, claimed, "CT-05", "fail", "Quốc kỳ sai tỉ lệ", token)
    assert response.status_code in (302, 400)
    assert _answer(claimed.id, "CT-05").comment == ""
    assert client.get("/reviews/csrf-token", headers=JSON).status_code == 302


def test_a_pin_is_added_and_resolved_in_json(client, claimed):
    token = csrf_token(client, f"/reviews/{claimed.id}")
    version = claimed.versions[0]
    pinned = client.post(
        f"/reviews/versions/{version.id}/annotations",
        data={"x": "0.25", "y": "0.5", "body": "Chữ quá nhỏ", "csrf_token": token},
        headers=JSON,
    )
    assert pinned.status_code == 201
    assert (pinned.json["x"], pinned.json["body"]) == (0.25, "Chữ quá nhỏ")
    empty = client.post(
        f"/reviews/versions/{version.id}/annotations",
        data={"x": "0.25", "y": "0.5", "body": "", "csrf_token": token},
        headers=JSON,
    )
    assert empty.status_code == 422 and empty.json["error"]["message"]
    resolved = client.post(pinned.json["resolve_url"], data={"csrf_token": token}, headers=JSON)
    assert resolved.status_code == 200 and resolved.json["resolved"] is True
    assert db.session.get(Annotation, pinned.json["id"]).resolved_at is not None


def test_the_viewer_is_told_the_print_size_and_the_nearest_viewing_distance(
    client, login, make_user, make_submission, advance
):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    submission = make_submission(designer, width_cm=600, height_cm=200, placements=2)
    # One of its two main-road placements (10 m by default) states it is seen from 4 m.
    submission.placements[1].viewing_distance_m = 4
    db.session.commit()
    advance(submission, "in_review", designer, reviewer)
    login(reviewer)
    html = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert 'data-print-width-cm="600" data-print-height-cm="200"' in html
    assert 'data-format-label="Pano" data-distance-m="4"' in html
    assert "khoảng cách khai báo của trục đường chính, vị trí gần nhất" in html
    assert ">Kích thước thật</button>" in html


def test_the_compare_page_gives_each_version_its_viewer_and_its_own_pins(
    client, login, make_user, make_submission
):
    designer = make_user("designer", UNIT_A)
    reviewer = make_user("reviewer", DEPARTMENT)
    submission = make_submission(designer)
    first = submission.versions[0]
    second = ingest.add_version(designer, submission, upload(images.png_bytes(1200, 800)))
    for version, x, body in ((first, 0.2, "Ghim của bản một"), (second, 0.7, "Ghim của bản hai")):
        db.session.add(Annotation(version=version, author=reviewer, x=x, y=0.3, body=body))
    db.session.commit()
    login(reviewer)
    html = client.get(f"/reviews/{submission.id}/compare").get_data(as_text=True)
    stages = html.split('<div class="stage" data-stage ')[1:]
    assert len(stages) == 2 and "data-synced-viewers" in html
    assert f"/versions/{first.id}/preview.webp" in stages[0]
    assert f"/versions/{second.id}/preview.webp" in stages[1]
    assert 'title="Ghim của bản một"' in stages[0] and "Ghim của bản hai" not in stages[0]
    assert 'title="Ghim của bản hai"' in stages[1] and "Ghim của bản một" not in stages[1]
    assert "openseadragon.min.js" in html
