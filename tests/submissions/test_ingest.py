"""Ingest through the designer page: real images of every kind, and failures half way."""

import io

import pytest
import sqlalchemy as sa

from registry.extensions import db
from registry.storage import StorageError
from registry.submissions.models import ArtworkVersion
from tests import images
from tests.conftest import csrf_token, post_multipart, stored_keys


def _upload(client, submission_id, data, name, print_file: bytes | None = None):
    fields = {
        "file": (io.BytesIO(data), name),
        "csrf_token": csrf_token(client, f"/submissions/{submission_id}"),
    }
    if print_file is not None:
        fields["print_file"] = (io.BytesIO(print_file), "in.pdf")
    return post_multipart(
        client,
        f"/submissions/{submission_id}/versions",
        fields,
        headers={"Accept": "application/json"},
    )


@pytest.mark.parametrize(
    "make, name, facts",
    [
        (lambda: images.jpeg_bytes(600, 400, "CMYK"), "cmyk.jpg", ("JPEG", "CMYK", 600, 400)),
        (lambda: images.tiff_bytes(600, 400, "CMYK"), "cmyk.tif", ("TIFF", "CMYK", 600, 400)),
        (lambda: images.gray16("PNG"), "gray16.png", ("PNG", "I;16", 32, 24)),
        (lambda: images.rgb48_tiff((30000, 20000, 10000)), "rgb48.tif", ("TIFF", None, 32, 24)),
        (
            lambda: images.with_exif_orientation(6, "JPEG", 60, 40),
            "rotated.jpg",
            ("JPEG", "RGB", 40, 60),
        ),
        (lambda: images.with_icc("PNG"), "icc.png", ("PNG", "RGB", None, None)),
        (lambda: images.webp_bytes(300, 200), "a.webp", ("WEBP", "RGB", 300, 200)),
    ],
    ids=["cmyk-jpeg", "cmyk-tiff", "16-bit-gray", "48-bit-tiff", "exif-rotated", "icc", "webp"],
)
def test_every_kind_of_artwork_is_ingested_with_its_facts(
    client, signed_in_designer, make_submission, make, name, facts
):
    submission = make_submission(signed_in_designer, artwork=None)
    response = _upload(client, submission.id, make(), name)
    assert response.status_code == 201, response.json
    version = db.session.scalar(sa.select(ArtworkVersion))
    fmt, mode, width, height = facts
    assert version.image_format == fmt
    if mode:
        assert version.color_mode == mode
    if width:
        assert (version.width_px, version.height_px) == (width, height)
    if name == "icc.png":
        assert version.has_icc_profile
    preview = client.get(f"/versions/{version.id}/preview.webp")
    assert preview.status_code == 200 and preview.data[8:12] == b"WEBP"


def test_store_failing_half_way_leaves_no_row_and_no_object(
    client, app, signed_in_designer, make_submission, monkeypatch
):
    submission = make_submission(signed_in_designer, artwork=None)
    store = app.extensions["registry_store"]
    real_put = store.put_file
    calls = {"n": 0}

    def flaky_put(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the original is stored, the print file is not
            raise StorageError("Kho lưu trữ tạm thời không phản hồi, vui lòng thử lại sau.")
        return real_put(*args, **kwargs)

    monkeypatch.setattr(store, "put_file", flaky_put)
    response = _upload(
        client, submission.id, images.png_bytes(400, 300), "a.png", images.pdf_bytes()
    )
    assert response.status_code == 503
    assert "Kho lưu trữ tạm thời không phản hồi" in response.json["error"]["message"]
    assert stored_keys(app, "uploads") == set()
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


def test_database_failing_after_the_objects_were_written_removes_them(
    client, app, signed_in_designer, make_submission, monkeypatch
):
    from registry.submissions import ingest

    submission = make_submission(signed_in_designer, artwork=None)

    def broken_audit(*args, **kwargs):
        raise RuntimeError("database connection lost")

    monkeypatch.setattr(ingest, "record_event", broken_audit)
    response = _upload(client, submission.id, images.png_bytes(400, 300), "a.png")
    assert response.status_code == 500
    assert stored_keys(app, "uploads") == set()
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0


def test_same_image_in_two_submissions_shares_previews_and_survives_a_failure(
    client, app, signed_in_designer, make_submission, monkeypatch
):
    data = images.png_bytes(400, 300)
    first = make_submission(signed_in_designer, artwork=data)
    kept = stored_keys(app, "uploads")
    second = make_submission(signed_in_designer, artwork=None)
    from registry.submissions import ingest

    monkeypatch.setattr(
        ingest, "record_event", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    assert _upload(client, second.id, data, "same.png").status_code == 500
    assert stored_keys(app, "uploads") == kept  # the first submission's preview is untouched
    assert first.versions[0].preview_key in kept


def test_the_original_is_stored_from_the_spool_whole_and_no_spool_is_left_behind(
    client, app, signed_in_designer, make_submission
):
    store = app.extensions["registry_store"]
    submission = make_submission(signed_in_designer, artwork=None)
    data = images.png_bytes(900, 600)
    assert _upload(client, submission.id, data, "a.png").status_code == 201
    refused = make_submission(signed_in_designer, artwork=None)
    assert _upload(client, refused.id, b"not an image" * 1000, "b.png").status_code == 422
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert store.stat("uploads", version.storage_key).sha256 == version.sha256
    assert store.checksum_matches("uploads", version.storage_key, version.sha256)
    folder = store.spool_dir()  # LocalStore spools beside its buckets; MinIO in the temp folder
    assert folder is None or list(folder.iterdir()) == []
