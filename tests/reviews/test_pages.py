"""Reviewer pages: queue, claim, pre-checks, answers, pinned comments, decisions, comparison."""

import io

import sqlalchemy as sa

from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.reviews.models import Annotation, ChecklistAnswer, Review
from registry.submissions.models import Submission
from tests import images
from tests.conftest import csrf_token, post_multipart
from tests.factories import UNIT_A, UNIT_B


def _post(client, url, data, page):
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def _claim(client, submission_id):
    return _post(
        client, f"/submissions/{submission_id}/transition", {"action": "claim"}, "/reviews/"
    )


def _answers(client, submission_id, answers: dict[str, tuple[str, str]]):
    data = {}
    for code, (result, comment) in answers.items():
        data[f"result-{code}"] = result
        data[f"comment-{code}"] = comment
    return _post(client, f"/reviews/{submission_id}/answers", data, f"/reviews/{submission_id}")


THUMBNAIL = images.png_bytes(300, 200)


def _submitted(make_submission, advance, designer, reviewer, **kwargs):
    submission = make_submission(designer, **kwargs)
    return advance(submission, "submitted", designer, reviewer)


def test_queue_lists_waiting_submissions_oldest_first_with_counts(
    client, login, reviewer, designer, make_user, make_submission, advance
):
    first = _submitted(make_submission, advance, designer, reviewer, title="Gửi trước")
    other = make_user("designer", UNIT_B)
    _submitted(make_submission, advance, other, reviewer, title="Gửi sau")
    make_submission(designer, title="Còn nháp")
    login(reviewer)
    html = client.get("/reviews/").get_data(as_text=True)
    assert html.index("Gửi trước") < html.index("Gửi sau") and "Còn nháp" not in html
    assert 'data-count="submitted">2<' in html
    only_b = client.get(f"/reviews/?unit={UNIT_B}").get_data(as_text=True)
    assert "Gửi sau" in only_b and "Gửi trước" not in only_b
    assert first.status == "submitted"


def test_designers_and_localities_cannot_open_the_queue(client, login, make_user):
    for role in ("designer", "locality"):
        login(make_user(role, UNIT_A))
        assert client.get("/reviews/").status_code == 403
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})


def test_claim_opens_the_review_with_automatic_prechecks_and_their_evidence(
    client, login, reviewer, designer, make_submission, advance
):
    # 300 × 200 px on a 300 × 200 cm panel on a main road: aspect fine, 2.5 ppi below 8.7.
    submission = _submitted(make_submission, advance, designer, reviewer, artwork=THUMBNAIL)
    login(reviewer)
    response = _claim(client, submission.id)
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/reviews/{submission.id}"
    )
    html = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "Kiểm tra tự động: Đạt." in html and "Kiểm tra tự động: Không đạt." in html
    assert "300×200 px in ở 300×200 cm: độ phân giải hiệu dụng 2,5 ppi" in html
    assert "khoảng cách xem mặc định 10 m = 393,7 inch" in html
    assert "3438 ÷ 393,7 = 8,7 ppi: không đạt" in html
    assert "Luật Quảng cáo 2012 Điều 27 k3" in html  # legal sources beside the items
    for group in (
        "Đúng định hướng chính trị",
        "Thuần phong mỹ tục",
        "Mỹ quan đô thị",
        "Quy định pháp luật",
    ):
        assert group in html
    review = db.session.scalar(sa.select(Review))
    evidence = {a.item.code: a.automatic_result for a in review.answers if a.automatic_result}
    # CT-01 waits for the text read on the artwork (issue 12), with no verdict meanwhile.
    ct01 = next(a for a in review.answers if a.item.code == "CT-01")
    assert ct01.automatic_result is None
    assert ct01.evidence["summary"].startswith("Đang đọc chữ trên mẫu, chưa có kết quả.")
    assert evidence == {
        "PL-07": "pass",
        "MQ-07": "fail",
        "PL-04": "pass",
        "PL-09": "pass",
        "MQ-04": "pass",
    }


def test_overriding_an_automatic_answer_needs_a_comment(
    client, login, reviewer, designer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer, artwork=THUMBNAIL)
    login(reviewer)
    _claim(client, submission.id)
    refused = _answers(client, submission.id, {"MQ-07": ("pass", "")})
    assert refused.status_code == 422
    assert "cần ghi lý do khi thay đổi kết quả tự động" in refused.get_data(as_text=True)
    accepted = _answers(client, submission.id, {"MQ-07": ("pass", "Pano xem từ xa 30 m.")})
    assert accepted.status_code == 303
    answer = db.session.scalar(
        sa.select(ChecklistAnswer)
        .join(ChecklistAnswer.item)
        .where(ChecklistAnswer.result == "pass", ChecklistAnswer.comment == "Pano xem từ xa 30 m.")
    )
    assert answer is not None and answer.automatic_result == "fail"


def test_not_applicable_is_refused_where_the_item_does_not_allow_it(
    client, login, reviewer, designer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    login(reviewer)
    _claim(client, submission.id)
    response = _answers(client, submission.id, {"TP-01": ("na", "")})
    assert response.status_code == 422
    assert "không được đánh giá “Không áp dụng”" in response.get_data(as_text=True)


def test_full_round_trip_from_queue_to_changes_to_approval(
    client, app, login, reviewer, designer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    login(reviewer)
    _claim(client, submission.id)
    version = submission.versions[0]
    pinned = _post(
        client,
        f"/reviews/versions/{version.id}/annotations",
        {"x": "0.25", "y": "0.5", "body": "Sao vàng lệch tâm"},
        f"/reviews/{submission.id}",
    )
    assert pinned.status_code == 303
    _answers(client, submission.id, {"CT-05": ("fail", "Quốc kỳ sai tỉ lệ 2:3")})
    decided = _post(
        client,
        f"/submissions/{submission.id}/transition",
        {"action": "request_changes", "comment": "Sửa quốc kỳ"},
        f"/reviews/{submission.id}",
    )
    assert decided.status_code == 303
    assert db.session.get(Submission, submission.id).status == "changes_requested"

    designer_client = app.test_client()
    token = csrf_token(designer_client)
    designer_client.post(
        "/login",
        data={
            "username": designer.username,
            "password": "mat-khau-thu-nghiem",
            "csrf_token": token,
        },
    )
    page = designer_client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Quốc kỳ sai tỉ lệ 2:3" in page and "Sao vàng lệch tâm" in page
    assert "Sửa quốc kỳ" in page and "CT-05" in page
    upload = post_multipart(
        designer_client,
        f"/submissions/{submission.id}/versions",
        {
            "file": (io.BytesIO(images.png_bytes(1500, 1000, dpi=(96, 96))), "v2.png"),
            "csrf_token": csrf_token(designer_client, f"/submissions/{submission.id}"),
        },
    )
    assert upload.status_code == 303
    resubmitted = designer_client.post(
        f"/submissions/{submission.id}/transition",
        data={
            "action": "submit",
            "comment": "Sửa quốc kỳ, căn giữa sao vàng.",
            "csrf_token": csrf_token(designer_client, f"/submissions/{submission.id}"),
        },
    )
    assert resubmitted.status_code == 303
    assert db.session.get(Submission, submission.id).status == "submitted"

    _claim(client, submission.id)
    review = db.session.scalar(sa.select(Review).where(Review.decision.is_(None)))
    assert review.version.number == 2
    carried = {a.item.code: (a.result, a.comment) for a in review.answers}
    assert carried["CT-05"] == ("fail", "Quốc kỳ sai tỉ lệ 2:3")  # starts from the last answers
    compare = client.get(f"/reviews/{submission.id}/compare").get_data(as_text=True)
    assert "v1" in compare and "v2" in compare and "data-overlay-slider" in compare
    answers = {
        a.item.code: ("pass", "Đã xem." if a.automatic_result == "fail" else "")
        for a in review.answers
    }
    assert _answers(client, submission.id, answers).status_code == 303
    approved = _post(
        client,
        f"/submissions/{submission.id}/transition",
        {"action": "approve", "comment": "Đạt"},
        f"/reviews/{submission.id}",
    )
    assert approved.status_code == 303
    assert db.session.get(Submission, submission.id).status == "approved"
    asset = db.session.scalar(sa.select(ApprovedAsset))
    assert asset.version.number == 2 and asset.code.startswith("QLVH-")
    frozen = db.session.scalars(sa.select(Review).order_by(Review.id)).all()
    assert [r.decision for r in frozen] == ["request_changes", "approve"]
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 1


def test_decision_refused_by_the_checklist_is_explained_not_a_500(
    client, login, reviewer, designer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    login(reviewer)
    _claim(client, submission.id)
    response = _post(
        client,
        f"/submissions/{submission.id}/transition",
        {"action": "approve"},
        f"/reviews/{submission.id}",
    )
    assert response.status_code == 409
    assert "Chưa thể duyệt" in response.get_data(as_text=True)


def test_annotation_outside_the_image_is_refused(
    client, login, reviewer, designer, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    login(reviewer)
    _claim(client, submission.id)
    version = submission.versions[0]
    response = _post(
        client,
        f"/reviews/versions/{version.id}/annotations",
        {"x": "1.5", "y": "abc", "body": "x"},
        f"/reviews/{submission.id}",
    )
    assert response.status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Annotation.id))) == 0


def test_designer_of_another_unit_cannot_see_review_or_comments(
    client, login, reviewer, designer, make_user, make_submission, advance
):
    submission = _submitted(make_submission, advance, designer, reviewer)
    login(make_user("designer", UNIT_B))
    assert client.get(f"/submissions/{submission.id}").status_code == 404
    assert client.get(f"/reviews/{submission.id}/compare").status_code == 404
    assert client.get(f"/versions/{submission.versions[0].id}/preview.webp").status_code == 404
