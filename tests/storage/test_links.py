"""Download links: presigned on MinIO, signed tokens resolved by the app on LocalStore."""

from __future__ import annotations

import io
import urllib.request
from datetime import timedelta

import pytest

from registry.storage import (
    LinkExpired,
    LocalStore,
    ObjectNotFound,
    ObjectStore,
    content_disposition,
)
from registry.storage import local as local_module

FILENAME = "Pano cổ động Kết luận 288-KL/TW – Đặc khu Phú Quốc.png"
DATA = b"\x89PNG approved artwork bytes"


def _download(store: ObjectStore, url: str) -> tuple[bytes, str]:
    """Fetch a link as a browser would; return (body, Content-Disposition)."""
    if isinstance(store, LocalStore):
        # The app's /storage/<token> view resolves the token, then streams the object.
        assert url.startswith("/storage/")
        area, key, filename = store.resolve_presigned(url.removeprefix("/storage/"))
        with store.open(area, key) as reader:
            return b"".join(reader), content_disposition(filename or key)
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (test server URL)
        return response.read(), response.headers["Content-Disposition"]


def test_presigned_url_downloads_the_bytes_as_an_attachment_with_the_vietnamese_name(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    key = f"{prefix}AG-2025-0001.png"
    put_bytes(store, "approved", key, DATA, content_type="image/png")
    url = store.presigned_url("approved", key, expires=timedelta(minutes=5), filename=FILENAME)
    body, disposition = _download(store, url)
    assert body == DATA
    assert disposition.startswith('attachment; filename="Pano co dong Ket luan 288-KL_TW')
    assert "filename*=UTF-8''Pano%20c%E1%BB%95%20%C4%91%E1%BB%99ng" in disposition
    assert disposition == content_disposition(FILENAME)


@pytest.mark.parametrize("expires", [timedelta(0), timedelta(seconds=-5), timedelta(days=8)])
def test_presigned_url_refuses_lifetimes_outside_one_second_to_seven_days(
    store: ObjectStore, expires: timedelta
) -> None:
    with pytest.raises(ValueError):
        store.presigned_url("approved", "a.png", expires=expires)


@pytest.fixture
def local_store(tmp_path) -> LocalStore:
    """Provide a LocalStore holding approved/a.png."""
    store = LocalStore(
        tmp_path / "store", {"uploads": "u-bucket", "approved": "a-bucket"}, signing_key="k"
    )
    store.put("approved", "a.png", io.BytesIO(DATA), size=len(DATA))
    return store


def _token(store: LocalStore) -> str:
    url = store.presigned_url("approved", "a.png", expires=timedelta(minutes=5))
    return url.removeprefix(store.url_prefix)


def test_local_link_is_refused_once_expired(local_store: LocalStore, monkeypatch) -> None:
    url = local_store.presigned_url("approved", "a.png", expires=timedelta(minutes=5))
    token = url.removeprefix("/storage/")
    assert local_store.resolve_presigned(token) == ("approved", "a.png", None)
    later = local_module._now() + 301
    monkeypatch.setattr(local_module, "_now", lambda: later)
    with pytest.raises(LinkExpired, match="Liên kết tải xuống đã hết hạn"):
        local_store.resolve_presigned(token)


def test_local_link_with_a_tampered_or_foreign_token_is_refused(
    local_store: LocalStore, tmp_path
) -> None:
    token = _token(local_store)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other = LocalStore(tmp_path / "o", local_store.buckets, signing_key="another-key")
    foreign = _token(other)
    for bad in (tampered, foreign, "not-a-token"):
        with pytest.raises(ObjectNotFound, match="Liên kết tải xuống không hợp lệ"):
            local_store.resolve_presigned(bad)


def test_local_link_to_a_deleted_object_is_not_found(local_store: LocalStore) -> None:
    token = _token(local_store)
    local_store.delete("approved", "a.png")
    with pytest.raises(ObjectNotFound, match="Không tìm thấy tệp"):
        local_store.resolve_presigned(token)
