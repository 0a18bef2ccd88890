"""Approval stores a server-side copy with metadata and retention, or nothing at all."""

import re

import pytest
import sqlalchemy as sa
from minio.error import S3Error

from registry.extensions import db
from registry.library.models import ApprovedAsset
from registry.storage import RetentionError, StorageError
from registry.submissions.models import Submission
from tests import images
from tests.conftest import _minio_client, csrf_token, stored_keys
from tests.factories import answer_all
from tests.library.conftest import bucket, submit_and_claim


def test_approval_copies_the_version_into_the_approved_area_with_metadata(app, approve):
    asset = approve()
    version = asset.version
    assert re.fullmatch(r"QLVH-\d{4}-\d{6}", asset.code)
    assert asset.storage_key == f"KL288-2026/30307/{asset.code}.png"
    assert stored_keys(app, "approved") == {asset.storage_key, asset.document_key}
    info = app.extensions["registry_store"].stat("approved", asset.storage_key)
    assert info.metadata["approval-code"] == asset.code
    assert (info.sha256, info.size) == (version.sha256, version.size_bytes)
    assert (asset.sha256, asset.size_bytes) == (version.sha256, version.size_bytes)
    assert asset.status_on(asset.valid_from) == "valid"


def test_print_file_is_copied_beside_the_artwork(app, approve):
    pdf = images.pdf_bytes()
    asset = approve(print_file=pdf)
    assert asset.print_key == f"KL288-2026/30307/{asset.code}-print.pdf"
    assert stored_keys(app, "approved") == {asset.storage_key, asset.print_key, asset.document_key}
    info = app.extensions["registry_store"].stat("approved", asset.print_key)
    assert info.metadata["approval-code"] == asset.code and info.metadata["kind"] == "print"


def test_approved_copy_cannot_be_deleted_while_retained(app, approve):
    asset = approve()
    store = app.extensions["registry_store"]
    with pytest.raises(RetentionError):
        store.delete("approved", asset.storage_key)
    if app.config["REGISTRY_STACK"] == "services":
        # Even the server's own client, without the governance bypass, is refused.
        client = _minio_client(app)
        name = bucket(app, "approved")
        version_id = client.stat_object(name, asset.storage_key).version_id
        with pytest.raises(S3Error) as refused:
            client.remove_object(name, asset.storage_key, version_id=version_id)
        assert refused.value.code in ("AccessDenied", "InvalidRequest", "ObjectLocked")
    assert store.exists("approved", asset.storage_key)


@pytest.fixture
def in_review(people, make_submission, client, login):
    """A submission in review, claimed by the reviewer, who is signed in in the client."""

    def make(print_file: bytes | None = None):
        from registry.submissions import ingest
        from tests.factories import upload

        submission = make_submission(people["designer_a"], artwork=None)
        ingest.add_version(
            people["designer_a"],
            submission,
            upload(images.png_bytes(1500, 1000)),
            upload(print_file, "in.pdf") if print_file else None,
        )
        db.session.commit()
        submit_and_claim(people["designer_a"], people["reviewer"], submission)
        answer_all(people["reviewer"], submission)
        db.session.commit()
        login(people["reviewer"])
        return submission

    return make


def _approve_by_page(client, submission):
    token = csrf_token(client, f"/submissions/{submission.id}")
    return client.post(
        f"/submissions/{submission.id}/transition", data={"action": "approve", "csrf_token": token}
    )


def _nothing_was_approved(app, submission):
    db.session.expire_all()
    assert db.session.get(Submission, submission.id).status == "in_review"
    assert db.session.scalar(sa.select(sa.func.count(ApprovedAsset.id))) == 0
    assert stored_keys(app, "approved") == set()


def test_store_down_during_approval_leaves_the_submission_in_review(
    app, client, in_review, monkeypatch
):
    submission = in_review()
    store = app.extensions["registry_store"]

    def down(*args, **kwargs):
        raise StorageError()

    monkeypatch.setattr(store, "copy", down)
    response = _approve_by_page(client, submission)
    assert response.status_code == 503
    assert "Kho lưu trữ tạm thời không phản hồi" in response.get_data(as_text=True)
    monkeypatch.undo()
    _nothing_was_approved(app, submission)


def test_failure_copying_the_print_file_leaves_nothing_in_the_approved_area(
    app, client, in_review, monkeypatch
):
    submission = in_review(print_file=images.pdf_bytes())
    store = app.extensions["registry_store"]
    real_copy = store.copy
    calls = []

    def fail_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise StorageError()
        return real_copy(*args, **kwargs)

    monkeypatch.setattr(store, "copy", fail_second)
    response = _approve_by_page(client, submission)
    assert response.status_code == 503
    monkeypatch.undo()
    assert len(calls) == 2
    _nothing_was_approved(app, submission)


def test_database_failure_after_the_copy_leaves_no_stray_object(
    app, client, in_review, monkeypatch
):
    submission = in_review()
    import registry.reviews.operations as review_operations

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT INTO audit_events", {}, Exception("database gone"))

    # The approval copy is made; the audit row after it fails, so the request rolls back.
    monkeypatch.setattr(review_operations, "record_event", broken)
    response = _approve_by_page(client, submission)
    assert response.status_code == 503  # the database is away: try later (registry/outages.py)
    monkeypatch.undo()
    _nothing_was_approved(app, submission)


def test_failed_commit_after_the_copy_leaves_no_stray_object(app, client, in_review):
    submission = in_review()

    def broken():
        raise sa.exc.OperationalError("COMMIT", {}, Exception("connection lost"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(db.session, "commit", broken)
        response = _approve_by_page(client, submission)
    assert response.status_code == 503
    _nothing_was_approved(app, submission)
