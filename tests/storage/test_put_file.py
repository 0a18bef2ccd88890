"""put_file: a finished, hashed upload moves into the store without a second copy or hash."""

from __future__ import annotations

import errno
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest

from registry.storage import LocalStore, ObjectStore

DATA = b"pano 288-KL/TW \xe2\x80\x94 ban in\n" * 5000
DATA_SHA = hashlib.sha256(DATA).hexdigest()


def _spooled(store: ObjectStore, tmp_path: Path, data: bytes = DATA) -> Path:
    """Write data where the store wants uploads spooled, as the request's spool does."""
    folder = store.spool_dir() or tmp_path
    path = Path(folder) / f"spool-{os.getpid()}-{len(data)}.part"
    path.write_bytes(data)
    return path


def test_put_file_stores_the_bytes_with_the_digest_its_writer_measured(
    store: ObjectStore, prefix: str, tmp_path: Path, read_all
) -> None:
    source = _spooled(store, tmp_path)
    key = f"{prefix}uploads/1/v1/{DATA_SHA}.tif"
    info = store.put_file(
        "uploads",
        key,
        source,
        size=len(DATA),
        sha256=DATA_SHA,
        content_type="image/tiff",
        metadata={"submission": "1"},
    )
    source.unlink()  # the spool is deleted when its request ends: the object stays
    for seen in (info, store.stat("uploads", key)):
        assert (seen.size, seen.sha256, seen.content_type) == (len(DATA), DATA_SHA, "image/tiff")
        assert seen.metadata == {"submission": "1"}
    assert read_all(store, "uploads", key) == DATA
    assert store.checksum_matches("uploads", key, DATA_SHA)


def test_put_file_of_a_file_shorter_than_its_size_fails_and_leaves_nothing(
    store: ObjectStore, prefix: str, tmp_path: Path
) -> None:
    source = _spooled(store, tmp_path, b"abc")
    with pytest.raises(ValueError):
        store.put_file("uploads", f"{prefix}short.bin", source, size=10, sha256=DATA_SHA)
    assert not store.exists("uploads", f"{prefix}short.bin")
    assert list(store.list("uploads", prefix)) == []
    assert source.read_bytes() == b"abc"  # the caller's file is the caller's


def test_put_file_without_a_valid_sha256_is_refused(
    store: ObjectStore, prefix: str, tmp_path: Path
) -> None:
    source = _spooled(store, tmp_path)
    with pytest.raises(ValueError):
        store.put_file("uploads", f"{prefix}x.bin", source, size=len(DATA), sha256="")
    assert not store.exists("uploads", f"{prefix}x.bin")


@pytest.fixture
def local(tmp_path: Path) -> LocalStore:
    buckets = {"uploads": "registry-uploads", "approved": "registry-approved"}
    return LocalStore(tmp_path / "store", buckets, signing_key="k")


def test_local_store_spools_beside_its_buckets_and_links_the_spool_in_without_copying(
    local: LocalStore, tmp_path: Path
) -> None:
    source = _spooled(local, tmp_path)
    assert source.parent.parent == local.root
    local.put_file("uploads", "a/b.tif", source, size=len(DATA), sha256=DATA_SHA)
    stored = local.root / "registry-uploads" / "a" / "b.tif"
    assert stored.stat().st_ino == source.stat().st_ino  # one inode: no byte was copied
    assert [info.key for info in local.list("uploads")] == ["a/b.tif"]  # spools are not objects


def test_local_store_copies_a_file_it_cannot_link_from_another_filesystem(
    local: LocalStore, tmp_path: Path, monkeypatch, read_all
) -> None:
    source = tmp_path / "elsewhere.part"
    source.write_bytes(DATA)

    def cross_device(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", cross_device)
    local.put_file("uploads", "a/b.tif", source, size=len(DATA), sha256=DATA_SHA)
    source.unlink()
    assert read_all(local, "uploads", "a/b.tif") == DATA
    assert local.stat("uploads", "a/b.tif").sha256 == DATA_SHA


def test_local_store_sweeps_spools_a_crash_left_behind_but_not_fresh_ones(
    local: LocalStore, tmp_path: Path
) -> None:
    old = _spooled(local, tmp_path, b"old")
    fresh = local.spool_dir() / "fresh.part"
    fresh.write_bytes(b"fresh")
    two_days_ago = old.stat().st_mtime - 48 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    assert local.sweep_spools(timedelta(hours=24)) == 1
    assert not old.exists() and fresh.exists()
