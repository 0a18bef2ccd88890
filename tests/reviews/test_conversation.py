"""The two-way conversation: the designer answers pins and says what changed when resubmitting;
the reviewer reads both; a resubmitted item is marked in the queue."""

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.extensions import db
from registry.reviews.models import AnnotationReply
from registry.reviews.operations import add_annotation
from registry.submissions import ingest
from registry.submissions.models import Submission
from tests import images
from tests.conftest import csrf_token
from tests.factories import UNIT_A, UNIT_B, upload

NOTE = "Sửa quốc kỳ đúng tỉ lệ 2:3; căn giữa ngôi sao (ghi chú 1)."


def _changes_requested(make_submission, advance, designer, reviewer):
    """A submission sent back with one failed item and one pin on its v1."""
    submission = advance(make_submission(designer), "changes_requested", designer, reviewer)
    pin = add_annotation(reviewer, submission.latest_version, 0.4, 0.3, "Ngôi sao lệch tâm")
    db.session.commit()
    return submission, pin


def _reply(client, pin_id, body, page):
    return client.post(
        f"/reviews/annotations/{pin_id}/replies",
        data={"body": body, "back": "submission", "csrf_token": csrf_token(client, page)},
    )


def _resubmit(client, submission, note=None):
    data = {"action": "submit", "csrf_token": csrf_token(client, f"/submissions/{submission.id}")}
    if note is not None:
        data["comment"] = note
    return client.post(f"/submissions/{submission.id}/transition", data=data)


def _switch(client, login, user):
    """Sign out whoever is signed in, then sign `user` in."""
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(user)


def _new_version(designer, submission):
    ingest.add_version(designer, submission, upload(images.png_bytes(1500, 1000, dpi=(96, 96))))
    db.session.commit()


def test_the_designer_answers_a_pin_and_the_reviewer_reads_the_answer(
    client, login, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    login(designer)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Trả lời ghi chú này" in page and "Đã sửa xong" in page
    answered = _reply(client, pin.id, "Đã căn giữa ở bản v2.", f"/submissions/{submission.id}")
    assert answered.status_code == 303
    assert answered.location.endswith(f"/submissions/{submission.id}#pin-{pin.id}")
    reply = db.session.scalar(sa.select(AnnotationReply))
    assert (reply.annotation_id, reply.author_id, reply.body) == (
        pin.id,
        designer.id,
        "Đã căn giữa ở bản v2.",
    )
    replied = sa.select(AuditEvent).where(AuditEvent.action == "annotation.replied")
    event = db.session.scalar(replied)
    assert event.submission_id == submission.id and event.actor_id == designer.id
    assert event.data["comment"] == "Đã căn giữa ở bản v2."
    history = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "trả lời ghi chú — “Đã căn giữa ở bản v2.”" in history

    _switch(client, login, reviewer)
    review_page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "Ngôi sao lệch tâm" in review_page and "Đã căn giữa ở bản v2." in review_page


def test_a_reviewer_answers_back_in_json_without_a_reload(
    client, login, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    login(reviewer)
    response = client.post(
        f"/reviews/annotations/{pin.id}/replies",
        data={
            "body": "Cần căn giữa cả chiều dọc.",
            "csrf_token": csrf_token(client, "/account"),
        },
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201
    assert response.json["body"] == "Cần căn giữa cả chiều dọc."
    assert response.json["author"] == reviewer.display_name


def test_an_empty_answer_is_refused_in_vietnamese_and_nothing_is_stored(
    client, login, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    login(designer)
    response = client.post(
        f"/reviews/annotations/{pin.id}/replies",
        data={"body": "   ", "csrf_token": csrf_token(client, "/account")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert response.json["error"]["message"] == "Vui lòng nhập nội dung trả lời."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnotationReply)) == 0


def test_only_the_units_designers_and_reviewers_answer_a_pin(
    client, login, make_user, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    login(make_user("designer", UNIT_B))  # another unit: the pin does not exist for them
    assert _reply(client, pin.id, "Xen vào", "/submissions/").status_code == 404
    _switch(
        client, login, make_user("locality", UNIT_A)
    )  # sees the unit's submissions, is no party to them
    assert _reply(client, pin.id, "Xen vào", "/submissions/").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnnotationReply)) == 0


def test_a_resubmission_needs_a_note_of_what_changed_which_the_reviewer_reads_first(
    client, login, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    _new_version(designer, submission)
    login(designer)
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Gửi lại thẩm định: những gì đã thay đổi" in page
    refused = _resubmit(client, submission)
    assert refused.status_code == 409  # the page again, saying why
    assert db.session.get(Submission, submission.id).status == "changes_requested"
    message = "Vui lòng ghi ngắn gọn những gì đã thay đổi so với lần thẩm định trước."
    assert message in refused.get_data(as_text=True)
    _reply(client, pin.id, "Đã căn giữa.", f"/submissions/{submission.id}")
    assert _resubmit(client, submission, NOTE).status_code == 303
    submission = db.session.get(Submission, submission.id)
    assert submission.status == "submitted"
    assert submission.latest_version.change_note == NOTE
    assert submission.versions[0].change_note is None
    event = db.session.scalar(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "submission.submit")
        .order_by(AuditEvent.id.desc())
    )
    assert event.data["comment"] == NOTE and event.data["source"] == "changes_requested"

    _switch(client, login, reviewer)
    queue = client.get("/reviews/").get_data(as_text=True)
    assert "Nộp lại lần 2" in queue
    client.post(
        f"/submissions/{submission.id}/transition",
        data={"action": "claim", "csrf_token": csrf_token(client, "/reviews/")},
    )
    review_page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "Nộp lại lần 2" in review_page and NOTE in review_page
    assert "Những gì đã thay đổi từ lần kết luận trước" in review_page
    # What the last request asked: its failed item and its pin with the designer's answer.
    assert "CT-11" in review_page and "Sai nội dung." in review_page
    assert "Ngôi sao lệch tâm" in review_page and "Đã căn giữa." in review_page
    assert f"a={submission.versions[0].id}&amp;b={submission.versions[1].id}" in review_page


def test_a_first_submission_is_not_marked_as_resubmitted(
    client, login, designer, reviewer, make_submission, advance
):
    submission = advance(make_submission(designer), "in_review", designer, reviewer)
    login(reviewer)
    assert "Nộp lại lần" not in client.get("/reviews/").get_data(as_text=True)
    page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "Những gì đã thay đổi" not in page


def test_the_api_answers_pins_lists_the_answers_and_needs_the_note_to_resubmit(
    client, token_for, designer, reviewer, make_submission, advance
):
    submission, pin = _changes_requested(make_submission, advance, designer, reviewer)
    headers = token_for(designer)
    empty = client.post(f"/api/v1/annotations/{pin.id}/replies", json={"body": ""}, headers=headers)
    assert empty.status_code == 422
    answered = client.post(
        f"/api/v1/annotations/{pin.id}/replies", json={"body": "Đã sửa."}, headers=headers
    )
    assert answered.status_code == 201
    assert answered.json["annotation_id"] == pin.id and answered.json["author"] == designer.username
    listed = client.get(
        f"/api/v1/versions/{pin.version_id}/annotations", headers=token_for(reviewer)
    ).json
    assert [r["body"] for r in listed[0]["replies"]] == ["Đã sửa."]

    _new_version(designer, submission)
    url = f"/api/v1/submissions/{submission.id}/transitions"
    refused = client.post(url, json={"action": "submit"}, headers=headers)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "note_required"
    accepted = client.post(url, json={"action": "submit", "comment": NOTE}, headers=headers)
    assert accepted.status_code == 200
    assert [v["change_note"] for v in accepted.json["versions"]] == [None, NOTE]
