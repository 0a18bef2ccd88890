"""An API upload on MinIO is stored while its body arrives; a refusal leaves nothing behind."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.storage import MinioStore
from registry.submissions.models import ArtworkVersion
from tests import images
from tests.conftest import _minio_client, post_multipart, stored_keys
from tests.factories import UNIT_B

# Uncompressed, so the body is larger than two 5 MiB parts.
BIG = images.tiff_bytes(2200, 1700)


@pytest.fixture
def started(app, monkeypatch) -> list[str]:
    """The keys of every put begun while a body arrived (spying on the real store)."""
    store = app.extensions["registry_store"]
    keys: list[str] = []
    real = store.start_put

    def spy(area, key, tail, **kwargs):
        keys.append(key)
        return real(area, key, tail, **kwargs)

    monkeypatch.setattr(store, "start_put", spy)
    return keys


def _open_multipart_uploads(app, keys: list[str]) -> list[str]:
    client = _minio_client(app)
    bucket = app.config["REGISTRY_UPLOADS_BUCKET"]
    found = []
    for key in keys:  # MinIO lists the uploads of one object name at a time
        result = client._list_multipart_uploads(bucket, prefix=key)
        found += [upload.object_name for upload in result.uploads]
    return found


def _post(client, submission_id, headers, body=BIG, **fields):
    return post_multipart(
        client,
        f"/api/v1/submissions/{submission_id}/versions",
        {"file": (io.BytesIO(body), "pano.tif"), **fields},
        headers=headers,
    )


def test_an_api_upload_is_stored_while_it_arrives_with_its_sha256_verified(
    client, app, designer, token_for, make_submission, started, monkeypatch
):
    from registry.submissions import ingest

    store = app.extensions["registry_store"]
    submission = make_submission(designer, artwork=None)
    seen_before_check = []
    real_read_header = ingest.imaging.read_header

    def read_header(*args, **kwargs):
        # The body is in; ingest has not even read the header: on MinIO, parts are already up.
        deadline = time.monotonic() + 10
        while started and not _open_multipart_uploads(app, started):
            assert time.monotonic() < deadline, "no multipart upload began while the body arrived"
            time.sleep(0.05)
        seen_before_check.append(bool(started))
        return real_read_header(*args, **kwargs)

    monkeypatch.setattr(ingest.imaging, "read_header", read_header)
    response = _post(client, submission.id, token_for(designer))
    assert response.status_code == 201, response.json
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert version.sha256 == hashlib.sha256(BIG).hexdigest()
    info = store.stat("uploads", version.storage_key)
    assert (info.size, info.sha256, info.content_type) == (len(BIG), version.sha256, "image/tiff")
    assert info.metadata == {"submission": str(submission.id), "version": "1"}
    assert store.checksum_matches("uploads", version.storage_key, version.sha256)
    if isinstance(store, MinioStore):
        assert seen_before_check == [True]
        assert started == [version.storage_key]
        assert _open_multipart_uploads(app, started) == []
    else:  # the filesystem store moves the finished spool in instead
        assert started == [] and seen_before_check == [False]


@pytest.mark.parametrize("refusal", ["pixels", "size", "stale", "cut"])
def test_a_refused_or_broken_upload_leaves_no_object_and_no_unfinished_upload(
    client, app, designer, token_for, make_submission, started, monkeypatch, refusal
):
    submission = make_submission(designer, artwork=None)
    headers = token_for(designer)
    if refusal == "pixels":
        monkeypatch.setitem(app.config, "REGISTRY_MAX_IMAGE_PIXELS", 1000)
        response, expected = _post(client, submission.id, headers), 422
    elif refusal == "size":
        monkeypatch.setitem(app.config, "REGISTRY_MAX_UPLOAD_MB", 5)
        response, expected = _post(client, submission.id, headers), 413
    elif refusal == "stale":
        response, expected = _post(client, submission.id, headers, lock_version="99"), 409
    else:  # the body ends in the middle of the file: no closing boundary
        body = b"--b\r\nContent-Disposition: form-data; name=file; filename=p.tif\r\n\r\n"
        response = client.post(
            f"/api/v1/submissions/{submission.id}/versions",
            data=body + BIG[: 11 << 20],
            content_type="multipart/form-data; boundary=b",
            headers=headers,
        )
        expected = 422  # the file never ended: it is not there
    assert response.status_code == expected, response.json
    assert stored_keys(app, "uploads") == set()
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0
    if isinstance(app.extensions["registry_store"], MinioStore):
        assert started, "the upload was not stored while it arrived"
        assert _open_multipart_uploads(app, started) == []


@pytest.mark.parametrize("caller", ["other unit", "not editable"])
def test_a_caller_who_may_not_add_a_version_is_refused_before_any_byte_is_stored(
    client, app, designer, reviewer, make_user, token_for, make_submission, advance, started, caller
):
    submission = make_submission(designer)
    if caller == "other unit":
        headers, expected = token_for(make_user("designer", UNIT_B)), 404
    else:  # submitted: under review, it can't change
        advance(submission, "submitted", designer, reviewer)
        headers, expected = token_for(designer), 403
    keys_before = stored_keys(app, "uploads")
    response = _post(client, submission.id, headers)
    assert response.status_code == expected, response.json
    assert started == [], "a refused caller's file reached the store"
    assert stored_keys(app, "uploads") == keys_before
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 1
