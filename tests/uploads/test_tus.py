"""The tus protocol of the submission page's resumable uploads, and their hand-over to ingest."""

from __future__ import annotations

import base64
import hashlib
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from registry import clock
from registry.extensions import db
from registry.submissions.models import ArtworkVersion
from registry.uploads.models import ResumableUpload
from tests import images
from tests.conftest import csrf_token
from tests.factories import PASSWORD, UNIT_B, new_submission

V = {"Tus-Resumable": "1.0.0"}


def _metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


@pytest.fixture
def draft(signed_in_designer):
    return new_submission(signed_in_designer, artwork=None)


@pytest.fixture
def csrf(client, draft):
    return csrf_token(client, f"/submissions/{draft.id}")


def _create(client, submission, csrf, length, **metadata):
    metadata = {"filename": "pano.png", "kind": "artwork", **metadata}
    return client.post(
        f"/submissions/{submission.id}/uploads",
        headers={
            **V,
            "X-CSRFToken": csrf,
            "Upload-Length": str(length),
            "Upload-Metadata": _metadata(**metadata),
        },
    )


def _patch(client, url, csrf, offset, body, *, declared=None, **headers):
    return client.patch(
        url,
        input_stream=io.BytesIO(body),
        content_length=len(body) if declared is None else declared,
        headers={
            **V,
            "X-CSRFToken": csrf,
            "Content-Type": "application/offset+octet-stream",
            "Upload-Offset": str(offset),
            **headers,
        },
    )


def _offset(client, url) -> int:
    response = client.head(url, headers=V)
    assert response.status_code == 200, response.status_code
    return int(response.headers["Upload-Offset"])


def _staged(app, url) -> Path:
    return Path(app.config["REGISTRY_UPLOAD_STAGING_PATH"]) / f"{url.rsplit('/', 1)[1]}.part"


def _finish(client, submission, csrf, artwork_url, **fields):
    data = {"csrf_token": csrf, "artwork": artwork_url.rsplit("/", 1)[1], **fields}
    return client.post(
        f"/submissions/{submission.id}/uploads/complete",
        data=data,
        headers={"Accept": "application/json"},
    )


ARTWORK = images.png_bytes(900, 600)


def _signed_in(app, person):
    """Another browser, signed in as `person`."""
    other = app.test_client()
    token = csrf_token(other, "/login")
    data = {"username": person.username, "password": PASSWORD, "csrf_token": token}
    assert other.post("/login", data=data).status_code == 302
    return other


def test_the_server_says_which_tus_version_and_extensions_it_speaks(client, draft):
    response = client.options(f"/submissions/{draft.id}/uploads")
    assert response.status_code == 204
    assert response.headers["Tus-Version"] == "1.0.0"
    assert response.headers["Tus-Extension"] == "creation,termination,expiration"
    assert int(response.headers["Tus-Max-Size"]) == 2048 << 20  # the print file's cap


def test_an_upload_sent_in_chunks_becomes_the_next_version_with_its_sha256(
    app, client, signed_in_designer, draft, csrf
):
    digest = hashlib.sha256(ARTWORK).hexdigest()
    created = _create(client, draft, csrf, len(ARTWORK), sha256=digest)
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.headers["Tus-Resumable"] == "1.0.0" and "Upload-Expires" in created.headers
    url = created.headers["Location"]
    assert _offset(client, url) == 0
    half = len(ARTWORK) // 2
    first = _patch(client, url, csrf, 0, ARTWORK[:half])
    assert first.status_code == 204 and first.headers["Upload-Offset"] == str(half)
    last = _patch(client, url, csrf, half, ARTWORK[half:])
    assert last.status_code == 204 and last.headers["Upload-Offset"] == str(len(ARTWORK))
    upload = db.session.scalar(sa.select(ResumableUpload))
    assert (upload.user_id, upload.submission_id) == (signed_in_designer.id, draft.id)
    assert (upload.offset_bytes, upload.sha256) == (len(ARTWORK), digest)

    answer = _finish(client, draft, csrf, url, artwork_sha256=digest)
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.json["message"] == "Đã tải lên phiên bản v1."
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert (version.sha256, version.size_bytes, version.original_name) == (
        digest,
        len(ARTWORK),
        "pano.png",
    )
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0
    assert not _staged(app, url).exists()


def test_a_chunk_at_the_wrong_offset_is_refused_with_the_servers_offset(client, draft, csrf):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    assert _patch(client, url, csrf, 0, ARTWORK[:1000]).status_code == 204
    response = _patch(client, url, csrf, 500, ARTWORK[500:2000])
    assert response.status_code == 409
    assert response.headers["Upload-Offset"] == "1000"
    assert _offset(client, url) == 1000


def test_an_upload_cut_mid_chunk_keeps_what_arrived_and_resumes_from_there(client, draft, csrf):
    digest = hashlib.sha256(ARTWORK).hexdigest()
    url = _create(client, draft, csrf, len(ARTWORK), sha256=digest).headers["Location"]
    arrived = len(ARTWORK) * 8 // 10
    # The client declared the whole file, but the connection dropped after 80 %.
    _patch(client, url, csrf, 0, ARTWORK[:arrived], declared=len(ARTWORK))
    assert _offset(client, url) == arrived
    rest = _patch(client, url, csrf, arrived, ARTWORK[arrived:])
    assert rest.status_code == 204 and rest.headers["Upload-Offset"] == str(len(ARTWORK))
    assert _finish(client, draft, csrf, url).status_code == 201
    assert db.session.scalar(sa.select(ArtworkVersion.sha256)) == digest


def test_a_request_without_the_tus_version_is_refused(client, draft, csrf):
    response = client.post(
        f"/submissions/{draft.id}/uploads", headers={"X-CSRFToken": csrf, "Upload-Length": "10"}
    )
    assert response.status_code == 412 and response.headers["Tus-Version"] == "1.0.0"


def test_a_chunk_of_another_content_type_is_refused(client, draft, csrf):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    response = _patch(client, url, csrf, 0, ARTWORK, **{"Content-Type": "image/png"})
    assert response.status_code == 415
    assert _offset(client, url) == 0


def test_a_file_over_the_cap_is_refused_at_creation_before_any_byte(app, client, draft, csrf):
    cap = app.config["REGISTRY_MAX_UPLOAD_MB"] << 20
    response = _create(client, draft, csrf, cap + 1)
    assert response.status_code == 413
    assert response.json["error"]["message"] == "Tệp mẫu vượt quá 300 MB cho phép."
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0
    # The print file has its own, larger cap.
    assert _create(client, draft, csrf, cap + 1, kind="print_file").status_code == 201


def test_a_wrong_file_type_is_refused_on_its_first_chunk(app, client, draft, csrf):
    body = b"PK\x03\x04" + os.urandom(4 << 20)  # a ZIP named pano.png
    url = _create(client, draft, csrf, 300 << 20).headers["Location"]
    response = _patch(client, url, csrf, 0, body)
    assert response.status_code == 422
    assert "không phải ảnh PNG, JPEG, TIFF hoặc WebP" in response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0
    assert not _staged(app, url).exists()
    assert client.head(url, headers=V).status_code == 404


def test_a_print_file_of_an_accepted_type_passes_its_first_chunk(client, draft, csrf):
    pdf = images.pdf_bytes()
    url = _create(client, draft, csrf, len(pdf), kind="print_file").headers["Location"]
    assert _patch(client, url, csrf, 0, pdf).status_code == 204
    text = b"hello " * 3000
    other = _create(client, draft, csrf, len(text), kind="print_file").headers["Location"]
    assert _patch(client, other, csrf, 0, text).status_code == 422


def test_another_users_upload_is_not_found(app, client, draft, csrf, make_user, login):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    _patch(client, url, csrf, 0, ARTWORK[:100])
    colleague = make_user("designer")  # same unit, same submission rights: still not theirs
    stranger = make_user("designer", UNIT_B)
    for person in (colleague, stranger):
        other = _signed_in(app, person)
        token = csrf_token(other, "/account")
        assert other.head(url, headers=V).status_code == 404
        assert _patch(other, url, token, 100, ARTWORK[100:200]).status_code == 404
        assert other.delete(url, headers={**V, "X-CSRFToken": token}).status_code == 404
    assert _offset(client, url) == 100


def test_a_stranger_cannot_start_an_upload_on_the_submission(app, draft, make_user):
    stranger = make_user("designer", UNIT_B)
    other = _signed_in(app, stranger)
    response = _create(other, draft, csrf_token(other, "/account"), 100)
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0


def test_creating_an_upload_needs_the_csrf_token(client, draft):
    response = _create(client, draft, "forged", 100)
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0


def test_a_cancelled_upload_is_deleted(app, client, draft, csrf):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    _patch(client, url, csrf, 0, ARTWORK[:100])
    assert client.delete(url, headers={**V, "X-CSRFToken": csrf}).status_code == 204
    assert not _staged(app, url).exists()
    assert client.head(url, headers=V).status_code == 404


def test_an_expired_upload_is_gone_and_the_clean_up_removes_it(
    app, client, draft, csrf, monkeypatch
):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    _patch(client, url, csrf, 0, ARTWORK[:100])
    kept = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    hours = app.config["REGISTRY_UPLOAD_EXPIRY_HOURS"]
    later = clock.utcnow() + timedelta(hours=hours, minutes=1)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    # The second upload was touched again just before the expiry of the first.
    db.session.execute(
        sa.update(ResumableUpload)
        .where(ResumableUpload.token == kept.rsplit("/", 1)[1])
        .values(expires_at=later + timedelta(hours=1))
    )
    db.session.commit()
    assert client.head(url, headers=V).status_code == 410
    result = app.test_cli_runner().invoke(args=["registry", "clean-uploads"])
    assert result.exit_code == 0, result.output
    assert f"Đã xóa 1 phiên tải lên bỏ dở quá {hours} giờ" in result.output
    assert not _staged(app, url).exists() and _staged(app, kept).exists()
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 1


def test_a_file_that_differs_from_the_one_the_browser_hashed_is_refused(client, draft, csrf):
    claimed = hashlib.sha256(b"the file on the designer's disk").hexdigest()
    url = _create(client, draft, csrf, len(ARTWORK), sha256=claimed).headers["Location"]
    assert _patch(client, url, csrf, 0, ARTWORK).status_code == 204
    answer = _finish(client, draft, csrf, url)
    assert answer.status_code == 422
    assert "không khớp với tệp trên máy của bạn (mã kiểm tra SHA-256" in answer.json["message"]
    assert db.session.scalar(sa.select(sa.func.count(ArtworkVersion.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0


def test_an_unfinished_upload_cannot_become_a_version(client, draft, csrf):
    url = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    _patch(client, url, csrf, 0, ARTWORK[:100])
    answer = _finish(client, draft, csrf, url)
    assert answer.status_code == 409 and "chưa tải lên xong" in answer.json["message"]
    assert _offset(client, url) == 100


def test_an_artwork_and_its_print_file_arrive_resumably_together(client, draft, csrf):
    pdf = images.pdf_bytes()
    art = _create(client, draft, csrf, len(ARTWORK)).headers["Location"]
    prn = _create(client, draft, csrf, len(pdf), kind="print_file", filename="in.pdf")
    _patch(client, art, csrf, 0, ARTWORK)
    _patch(client, prn.headers["Location"], csrf, 0, pdf)
    answer = _finish(client, draft, csrf, art, print_file=prn.headers["Location"].rsplit("/", 1)[1])
    assert answer.status_code == 201, answer.json
    version = db.session.scalar(sa.select(ArtworkVersion))
    assert version.print_sha256 == hashlib.sha256(pdf).hexdigest()
    assert version.print_name == "in.pdf"


@pytest.mark.parametrize(
    "headers",
    [
        {"Upload-Length": "-5"},
        {"Upload-Length": "12abc"},
        {"Upload-Length": "100", "Upload-Metadata": "filename bm90IGJhc2U2NA=!"},
        {"Upload-Length": "100", "Upload-Metadata": "kind YXJ0d29yaw==,kind YXJ0d29yaw=="},
        {"Upload-Length": "100", "Upload-Metadata": "kind c29tZXRoaW5n"},  # kind "something"
        {"Upload-Length": "100", "Upload-Metadata": "sha256 YWJj"},  # not 64 hex digits
    ],
)
def test_a_malformed_creation_is_refused_without_an_upload(client, draft, csrf, headers):
    response = client.post(
        f"/submissions/{draft.id}/uploads", headers={**V, "X-CSRFToken": csrf, **headers}
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.json["error"]["message"]
    assert db.session.scalar(sa.select(sa.func.count(ResumableUpload.id))) == 0


def test_a_designer_keeps_at_most_ten_unfinished_uploads(client, draft, csrf):
    urls = [_create(client, draft, csrf, 100).headers["Location"] for _ in range(11)]
    assert client.head(urls[0], headers=V).status_code == 404  # the oldest made room
    assert all(client.head(u, headers=V).status_code == 200 for u in urls[1:])


def test_only_the_submission_page_may_compile_webassembly(client, draft):
    page = client.get(f"/submissions/{draft.id}")
    assert "'wasm-unsafe-eval'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assert f'data-tus-endpoint="/submissions/{draft.id}/uploads"' in html
    assert "vendor/tus-js-client/tus.min.js" in html and "vendor/hash-wasm" in html
    other = client.get("/submissions/")
    assert "wasm" not in other.headers["Content-Security-Policy"]
