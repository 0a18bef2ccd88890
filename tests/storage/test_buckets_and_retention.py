"""Buckets appear on first use; approved copies under retention resist delete and overwrite."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from registry.storage import (
    ChecksumMismatch,
    LocalStore,
    MinioStore,
    ObjectStore,
    RetentionError,
)

DATA = b"approved artwork"


def _bucket_exists(store: ObjectStore, area: str, raw_client) -> bool:
    if isinstance(store, LocalStore):
        return (store.root / store.bucket(area)).is_dir()
    return raw_client().bucket_exists(store.bucket(area))


def test_ensure_buckets_creates_both_buckets_and_can_run_twice(
    fresh_store: ObjectStore, raw_client
) -> None:
    assert not _bucket_exists(fresh_store, "uploads", raw_client)
    assert list(fresh_store.list("approved")) == []
    assert not fresh_store.exists("uploads", "a.png")
    fresh_store.ensure_buckets()
    fresh_store.ensure_buckets()
    assert _bucket_exists(fresh_store, "uploads", raw_client)
    assert _bucket_exists(fresh_store, "approved", raw_client)
    assert fresh_store.supports_object_lock


def test_ensure_buckets_tolerates_concurrent_callers(fresh_store: ObjectStore, raw_client) -> None:
    # Several workers starting at once all race to create the same buckets.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(fresh_store.ensure_buckets) for _ in range(4)]:
            future.result()
    assert _bucket_exists(fresh_store, "approved", raw_client)
    assert fresh_store.supports_object_lock


def test_put_on_a_fresh_store_creates_the_buckets(
    fresh_store: ObjectStore, raw_client, read_all
) -> None:
    fresh_store.put("uploads", "first/a.png", io.BytesIO(DATA), size=len(DATA))
    assert read_all(fresh_store, "uploads", "first/a.png") == DATA
    assert _bucket_exists(fresh_store, "approved", raw_client)


def test_minio_approved_bucket_has_object_lock_and_uploads_has_none(
    minio_session_store: MinioStore, minio_buckets
) -> None:
    client, store = minio_buckets.client, minio_session_store
    assert client.get_object_lock_config(store.bucket("approved")) is not None
    with pytest.raises(S3Error, match="ObjectLockConfigurationNotFound"):
        client.get_object_lock_config(store.bucket("uploads"))


def test_copy_under_retention_cannot_be_deleted_or_overwritten(
    store: ObjectStore, prefix: str, put_bytes, raw_client, read_all
) -> None:
    put_bytes(store, "uploads", f"{prefix}src.png", DATA, content_type="image/png")
    until = datetime.now(UTC) + timedelta(hours=1)
    key = f"{prefix}AG-2025-0003.png"
    info = store.copy("uploads", f"{prefix}src.png", "approved", key, retain_until=until)
    assert info.retain_until is not None
    assert abs(info.retain_until - until) < timedelta(seconds=1)
    assert store.stat("approved", key).retain_until == info.retain_until

    with pytest.raises(RetentionError, match="đang được khóa lưu trữ"):
        store.delete("approved", key)
    with pytest.raises(RetentionError):
        put_bytes(store, "approved", key, b"replacement")
    with pytest.raises(RetentionError):
        store.copy("uploads", f"{prefix}src.png", "approved", key)
    assert read_all(store, "approved", key) == DATA

    if isinstance(store, MinioStore):
        # The server itself must refuse, not only the store. A DELETE without a version
        # merely adds a delete marker in a versioned bucket, so aim at the version.
        client, bucket = raw_client(), store.bucket("approved")
        version = client.stat_object(bucket, key).version_id
        with pytest.raises(S3Error):
            client.remove_object(bucket, key, version_id=version)
        assert store.exists("approved", key)
        # An administrator holding the governance bypass can still correct a mistake.
        doomed = [DeleteObject(key, version)]
        assert list(client.remove_objects(bucket, doomed, bypass_governance_mode=True)) == []
        assert not store.exists("approved", key)


def test_local_delete_after_retention_has_passed_succeeds(tmp_path, put_bytes) -> None:
    # Only LocalStore: waiting out a real server retention period would slow the suite.
    store = LocalStore(tmp_path, {"uploads": "b-up", "approved": "b-ok"}, signing_key="k")
    prefix = "p/"
    put_bytes(store, "uploads", f"{prefix}src.png", DATA)
    until = datetime.now(UTC) + timedelta(seconds=30)
    store.copy("uploads", f"{prefix}src.png", "approved", f"{prefix}a.png", retain_until=until)
    meta = store.root / ".meta" / store.bucket("approved") / f"{prefix}a.png.json"
    meta.write_text(meta.read_text().replace(until.isoformat(), "2000-01-01T00:00:00+00:00"))
    store.delete("approved", f"{prefix}a.png")
    assert not store.exists("approved", f"{prefix}a.png")


def test_retain_until_is_ignored_outside_the_approved_area(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    put_bytes(store, "uploads", f"{prefix}src.png", DATA)
    until = datetime.now(UTC) + timedelta(hours=1)
    info = store.copy(
        "uploads", f"{prefix}src.png", "uploads", f"{prefix}b.png", retain_until=until
    )
    assert info.retain_until is None
    store.delete("uploads", f"{prefix}b.png")


@pytest.mark.parametrize(
    "retain_until",
    [datetime(2000, 1, 1, tzinfo=UTC), datetime(2099, 1, 1)],
    ids=["past", "naive"],
)
def test_retain_until_must_be_an_aware_future_time(
    store: ObjectStore, prefix: str, put_bytes, retain_until: datetime
) -> None:
    put_bytes(store, "uploads", f"{prefix}src.png", DATA)
    with pytest.raises(ValueError):
        store.copy(
            "uploads", f"{prefix}src.png", "approved", f"{prefix}c.png", retain_until=retain_until
        )
    assert not store.exists("approved", f"{prefix}c.png")


def test_put_under_retention_cannot_be_deleted_or_overwritten(
    store: ObjectStore, prefix: str, put_bytes, read_all
) -> None:
    # A restore puts approved copies straight back under the retention they had.
    until = datetime.now(UTC) + timedelta(hours=1)
    key = f"{prefix}AG-2025-0009.png"
    info = put_bytes(
        store, "approved", key, DATA, metadata={"approval-code": "AG-2025-0009"}, retain_until=until
    )
    assert info.retain_until is not None
    assert abs(info.retain_until - until) < timedelta(seconds=1)
    assert info.metadata == {"approval-code": "AG-2025-0009"}
    with pytest.raises(RetentionError):
        store.delete("approved", key)
    with pytest.raises(RetentionError):
        put_bytes(store, "approved", key, b"replacement")
    assert read_all(store, "approved", key) == DATA
    store.delete("approved", key, bypass_retention=True)
    assert not store.exists("approved", key)


def test_put_with_retention_and_a_wrong_checksum_leaves_nothing(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    key = f"{prefix}AG-2025-0010.png"
    with pytest.raises(ChecksumMismatch):
        put_bytes(store, "approved", key, DATA, sha256="0" * 64, retain_until=until)
    assert not store.exists("approved", key)


def test_put_ignores_retention_outside_the_approved_area(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    until = datetime.now(UTC) + timedelta(hours=1)
    info = put_bytes(store, "uploads", f"{prefix}d.png", DATA, retain_until=until)
    assert info.retain_until is None
    store.delete("uploads", f"{prefix}d.png")
