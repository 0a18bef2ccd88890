"""Previews and thumbnails made by the worker after the upload has answered: pending, ready,
failed (by the file, or by the system) and tried again; nothing half-made is ever shown."""

from __future__ import annotations

import contextlib
import io

import pytest
import sqlalchemy as sa
from huey.exceptions import RetryTask

from registry.audit import AuditEvent
from registry.exceptions import Conflict
from registry.extensions import db
from registry.storage import StorageError
from registry.storage.consistency import check_store
from registry.submissions.models import ArtworkVersion, Submission
from registry.submissions.renditions import SYSTEM_FAILURE
from registry.tasks.models import Job
from registry.tasks.queue import run_job
from registry.workflow import apply_transition
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys
from tests.factories import UNIT_B


def _upload(client, submission_id: int, data: bytes, name: str = "mau.png"):
    return post_multipart(
        client,
        f"/submissions/{submission_id}/versions",
        {
            "file": (io.BytesIO(data), name),
            "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
        },
        headers={"Accept": "application/json"},
    )


def _only_version() -> ArtworkVersion:
    db.session.expire_all()
    return db.session.scalar(sa.select(ArtworkVersion))


def _renditions_job(version: ArtworkVersion) -> Job:
    jobs = db.session.scalars(sa.select(Job).where(Job.name == "submissions.make_renditions"))
    [job] = [j for j in jobs if j.args == [version.id]]
    return job


def _submit(client, submission_id: int):
    return client.post(
        f"/submissions/{submission_id}/transition",
        data={
            "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
            "action": "submit",
        },
        follow_redirects=True,
    )


def test_the_upload_answers_before_the_preview_which_shows_only_once_made(
    app, client, login, signed_in_designer, reviewer, make_submission, renditions_queued
):
    submission = make_submission(signed_in_designer, artwork=None)
    response = _upload(client, submission.id, images.png_bytes(1500, 1000))
    assert response.status_code == 201, response.json
    version = _only_version()
    assert version.renditions_state == "pending"
    assert (version.width_px, version.height_px, version.color_mode) == (1500, 1000, "RGB")
    # The original is stored; no preview or thumbnail yet, and none is served.
    assert stored_keys(app, "uploads") == {version.storage_key}
    assert client.get(f"/versions/{version.id}/preview.webp").status_code == 404
    assert client.get(f"/versions/{version.id}/thumb.webp").status_code == 404
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Đang tạo ảnh xem trước…" in page
    assert f"/versions/{version.id}/thumb.webp" not in page  # no broken image
    state = client.get(f"/submissions/versions/{version.id}/renditions.json")
    assert state.json == {"state": "pending", "pending": True}
    assert state.headers["Cache-Control"] == "no-store"
    assert check_store(app.extensions["registry_store"]).is_clean  # pending expects no preview
    # It may be sent for review meanwhile; nobody decides before seeing it.
    _submit(client, submission.id)
    submission = db.session.get(Submission, submission.id)
    assert submission.status == "submitted"
    apply_transition(reviewer, submission, "claim")
    db.session.commit()
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(reviewer)
    review_page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert "Đang tạo ảnh xem trước…" in review_page and "data-reload" in review_page
    assert f"/versions/{version.id}/preview.webp" not in review_page
    for action in ("approve", "request_changes", "reject"):
        with pytest.raises(Conflict, match="đang được tạo"):
            apply_transition(reviewer, submission, action, comment="Xem sau.")

    run_job(app, _renditions_job(version).id)  # as the worker does

    version = _only_version()
    assert version.renditions_state == "ready"
    review_page = client.get(f"/reviews/{submission.id}").get_data(as_text=True)
    assert f"/versions/{version.id}/preview.webp" in review_page
    state = client.get(f"/submissions/versions/{version.id}/renditions.json").json
    assert state["state"] == "ready" and f"/versions/{version.id}/thumb.webp" in state["html"]
    preview = client.get(f"/versions/{version.id}/preview.webp")
    assert preview.status_code == 200 and preview.data[8:12] == b"WEBP"
    assert check_store(app.extensions["registry_store"]).is_clean


def test_an_image_that_fails_only_when_decoded_marks_the_version_failed_in_vietnamese(
    app, client, signed_in_designer, make_submission
):
    submission = make_submission(signed_in_designer, artwork=None)
    response = _upload(client, submission.id, images.damaged_tiff(), "hong.tif")
    assert response.status_code == 201  # its header and layout are sound

    version = _only_version()
    assert version.renditions_state == "failed"
    assert "Ảnh bị hỏng hoặc không đầy đủ" in version.renditions_error
    assert _renditions_job(version).status == "done"  # no retry: the file will not change
    assert stored_keys(app, "uploads") == {version.storage_key}
    page = client.get(f"/submissions/{submission.id}").get_data(as_text=True)
    assert "Không tạo được ảnh xem trước." in page and "Ảnh bị hỏng" in page
    assert "Đang tạo ảnh xem trước" not in page and "Thử lại" in page
    state = client.get(f"/submissions/versions/{version.id}/renditions.json").json
    assert state["state"] == "failed" and "Ảnh bị hỏng" in state["html"]
    assert client.get(f"/versions/{version.id}/preview.webp").status_code == 404
    refusal = _submit(client, submission.id).get_data(as_text=True)
    assert "không tạo được ảnh xem trước" in refusal
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "version.renditions_failed")
    )
    assert event is not None and event.actor_id is None
    assert check_store(app.extensions["registry_store"]).is_clean

    # A new version mends it: it is the one sent for review.
    assert _upload(client, submission.id, images.png_bytes(300, 200)).status_code == 201


def test_a_store_that_keeps_failing_ends_in_a_retry_the_designer_can_ask_for(
    app, client, signed_in_designer, make_submission, monkeypatch
):
    submission = make_submission(signed_in_designer, artwork=None)
    store = app.extensions["registry_store"]
    real_put = store.put

    def put(area, key, *args, **kwargs):
        if key.startswith("thumbs/"):  # the preview goes in, the thumbnail does not
            raise StorageError("Kho lưu trữ tạm thời không phản hồi.")
        return real_put(area, key, *args, **kwargs)

    monkeypatch.setattr(store, "put", put)
    assert _upload(client, submission.id, images.png_bytes(400, 300)).status_code == 201
    version = _only_version()
    job = _renditions_job(version)
    assert (version.renditions_state, job.status) == ("pending", "queued")  # tried again later
    while job.status == "queued":  # the worker's further attempts
        db.session.execute(sa.update(Job).where(Job.id == job.id).values(run_after=None))
        db.session.commit()
        with contextlib.suppress(RetryTask):  # Huey's signal to send it again later
            run_job(app, job.id)
        db.session.expire_all()
        job = db.session.get(Job, job.id)
    version = _only_version()
    assert (job.status, version.renditions_state) == ("failed", "failed")
    assert version.renditions_error == SYSTEM_FAILURE
    assert stored_keys(app, "uploads") == {version.storage_key}  # the lone preview went again

    monkeypatch.setattr(store, "put", real_put)
    page = client.get(f"/submissions/{submission.id}")
    token = csrf_token(client, f"/submissions/{submission.id}")
    assert "Thử lại" in page.get_data(as_text=True)
    retried = client.post(
        f"/submissions/versions/{version.id}/renditions/retry",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "Đang tạo lại ảnh xem trước của phiên bản v1." in retried.get_data(as_text=True)
    version = _only_version()
    assert version.renditions_state == "ready" and version.renditions_error is None
    assert client.get(f"/versions/{version.id}/thumb.webp").status_code == 200
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "version.renditions_retried")
    )
    again = client.post(
        f"/submissions/versions/{version.id}/renditions/retry", data={"csrf_token": token}
    )
    assert again.status_code == 303  # nothing to retry: said so, nothing changed
    assert _only_version().renditions_state == "ready"


def test_another_unit_sees_no_renditions_state_and_cannot_retry(
    client, login, make_user, designer, make_submission
):
    version = make_submission(designer).latest_version
    login(make_user("designer", UNIT_B))
    assert client.get(f"/submissions/versions/{version.id}/renditions.json").status_code == 404
    token = csrf_token(client, "/submissions/")
    retry = client.post(
        f"/submissions/versions/{version.id}/renditions/retry", data={"csrf_token": token}
    )
    assert retry.status_code == 404
