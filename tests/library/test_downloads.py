"""Downloads: a logged redirect to a short-lived link, single files and streamed ZIPs."""

import hashlib
import io
import os
import urllib.request
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from registry.audit import AuditEvent
from registry.clock import local_today
from registry.extensions import db
from registry.library.models import ApprovedAsset, DownloadLog
from registry.storage import CHUNK_SIZE
from registry.workflow import apply_transition
from tests import images
from tests.conftest import csrf_token
from tests.library.conftest import raw_delete


def fetch(client, app, location: str, filename: str) -> bytes:
    """Follow a download link as a browser would: MinIO over HTTP, LocalStore through the app;
    the file must arrive as an attachment named filename."""
    if app.config["REGISTRY_STACK"] == "services":
        assert location.startswith("http://127.0.0.1") and "X-Amz-Signature=" in location
        with urllib.request.urlopen(location, timeout=10) as response:  # noqa: S310
            disposition, data = response.headers["Content-Disposition"], response.read()
    else:
        assert location.startswith("http://localhost/storage/")
        response = client.get(location.removeprefix("http://localhost"))
        assert response.status_code == 200
        disposition, data = response.headers["Content-Disposition"], response.data
    assert disposition.startswith("attachment") and filename in disposition, disposition
    return data


def _logs(via=None) -> int:
    stmt = sa.select(sa.func.count(DownloadLog.id))
    if via:
        stmt = stmt.where(DownloadLog.via == via)
    return db.session.scalar(stmt)


def _download_events() -> int:
    return db.session.scalar(
        sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "asset.downloaded")
    )


def test_download_redirects_to_the_approved_file_and_is_logged(app, client, login, people, approve):
    asset = approve()
    login(people["locality_a"])
    response = client.get(f"/library/{asset.code}/download")
    assert response.status_code == 302
    data = fetch(client, app, response.headers["Location"], f"{asset.code}.png")
    assert hashlib.sha256(data).hexdigest() == asset.sha256 == asset.version.sha256
    assert (_logs("page"), _download_events()) == (1, 1)
    log = db.session.scalar(sa.select(DownloadLog))
    assert (log.user_id, log.asset_id) == (people["locality_a"].id, asset.id)


def test_print_file_is_downloaded_on_request(app, client, login, people, approve):
    pdf = images.pdf_bytes()
    asset = approve(print_file=pdf)
    login(people["locality_a"])
    response = client.get(f"/library/{asset.code}/download?file=print")
    assert response.status_code == 302
    assert fetch(client, app, response.headers["Location"], f"{asset.code}-print.pdf") == pdf
    assert _logs("page") == 1


def test_missing_print_file_is_404(client, login, people, approve):
    asset = approve()
    login(people["locality_a"])
    assert client.get(f"/library/{asset.code}/download?file=print").status_code == 404
    assert _logs() == 0


def test_revoked_asset_cannot_be_downloaded(client, login, people, approve):
    asset = approve()
    apply_transition(people["reviewer"], asset.submission, "revoke", comment="Sai khẩu hiệu.")
    db.session.commit()
    login(people["locality_a"])
    response = client.get(f"/library/{asset.code}/download")
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "đã bị thu hồi phê duyệt" in html and "Lý do: Sai khẩu hiệu. Không" in html
    assert (_logs(), _download_events()) == (0, 0)


def test_expired_asset_cannot_be_downloaded(client, login, people, approve):
    asset = approve()
    asset.valid_to = local_today() - timedelta(days=1)  # the display period is over
    db.session.commit()
    login(people["locality_a"])
    response = client.get(f"/library/{asset.code}/download")
    assert response.status_code == 410
    assert "đã hết hiệu lực (thời hạn sử dụng kết thúc ngày" in response.get_data(as_text=True)
    assert _logs() == 0


def test_missing_object_is_reported_and_not_logged(app, client, login, people, approve):
    asset = approve()
    raw_delete(app, "approved", asset.storage_key)
    login(people["locality_a"])
    response = client.get(f"/library/{asset.code}/download")
    assert response.status_code == 503
    assert "không có trong kho lưu trữ" in response.get_data(as_text=True)
    assert _logs() == 0


def _zip(client, codes, **extra):
    data = {"codes": codes, "csrf_token": csrf_token(client, "/library/"), **extra}
    return client.post("/library/zip", data=data, buffered=False)


def _noise_png(width: int, height: int) -> bytes:
    """A PNG that does not compress: several MiB, so the ZIP must arrive in many chunks."""
    from PIL import Image

    return images.encode(
        Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)), "PNG"
    )


def test_zip_is_streamed_and_holds_every_selected_file(app, client, login, people, approve):
    pdf = images.pdf_bytes()
    chosen = [
        approve(people["designer_a"], artwork=_noise_png(1200, 800)),
        approve(people["designer_a"], artwork=images.jpeg_bytes(1500, 1000), print_file=pdf),
        approve(people["designer_so"], scope="province", artwork=images.png_bytes(900, 600)),
    ]
    login(people["locality_a"])
    response = _zip(client, [a.code for a in chosen], include_print="y")
    try:
        assert response.status_code == 200
        assert response.is_streamed
        assert response.mimetype == "application/zip"
        assert "Content-Length" not in response.headers
        assert response.headers["Content-Disposition"].startswith("attachment")
        chunks = list(response.response)
        body = b"".join(chunks)
    finally:
        response.close()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        names = archive.namelist()
        for asset in chosen:
            name = asset.storage_key.rsplit("/", 1)[-1]
            assert hashlib.sha256(archive.read(name)).hexdigest() == asset.sha256
        assert archive.read(f"{chosen[1].code}-print.pdf") == pdf
        assert archive.testzip() is None
    assert len(names) == 4
    # Built while sent: many pieces, none much larger than one storage chunk.
    assert len(chunks) > 3 and max(len(c) for c in chunks) <= CHUNK_SIZE + 4096
    assert (_logs("zip"), _download_events()) == (3, 3)


def test_zip_refuses_another_units_asset_before_streaming(client, login, people, approve):
    mine, theirs = approve(people["designer_a"]), approve(people["designer_b"])
    login(people["locality_a"])
    response = _zip(client, [mine.code, theirs.code])
    response.close()
    assert response.status_code == 404
    assert _logs() == 0


def test_zip_refuses_revoked_and_expired_assets_with_a_message(client, login, people, approve):
    valid, revoked, expired = approve(), approve(), approve()
    apply_transition(people["reviewer"], revoked.submission, "revoke", comment="Đã thay mẫu.")
    expired.valid_to = local_today() - timedelta(days=3)
    db.session.commit()
    login(people["locality_a"])
    response = _zip(client, [valid.code, revoked.code, expired.code])
    html = response.get_data(as_text=True)
    response.close()
    assert response.status_code == 410
    assert f"Mẫu {revoked.code} đã bị thu hồi" in html and f"Mẫu {expired.code} đã hết" in html
    assert _logs() == 0


def test_zip_needs_a_csrf_token_and_a_selection(client, login, people, approve):
    asset = approve()
    login(people["locality_a"])
    response = client.post("/library/zip", data={"codes": [asset.code]})
    assert response.status_code == 400
    response = _zip(client, [])
    response.close()
    assert response.status_code == 303
    assert _logs() == 0


def test_every_asset_row_in_the_zip_is_logged_once(client, login, people, approve):
    asset = approve()
    login(people["locality_a"])
    response = _zip(client, [asset.code, asset.code.lower()])
    body = b"".join(response.response)
    response.close()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert archive.namelist() == [f"{asset.code}.png"]
    assert _logs("zip") == 1
    assert db.session.scalar(sa.select(ApprovedAsset.code)) == asset.code
