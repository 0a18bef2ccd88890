"""The object contract every store honours: put, stat, open, exists, copy, delete, list."""

from __future__ import annotations

import hashlib
import io

import pytest

from registry.storage import (
    CHUNK_SIZE,
    ChecksumMismatch,
    LocalStore,
    ObjectNotFound,
    ObjectStore,
)

DATA = b"mau co dong \xe2\x80\x94 pano 288-KL/TW\n" * 100
DATA_SHA = hashlib.sha256(DATA).hexdigest()


@pytest.mark.parametrize("size_known", [True, False], ids=["size", "no-size"])
@pytest.mark.parametrize("sha_given", [True, False], ids=["sha", "no-sha"])
def test_put_then_stat_reports_size_sha256_type_and_metadata(
    store: ObjectStore, prefix: str, size_known: bool, sha_given: bool
) -> None:
    key = f"{prefix}uploads/1/v1/{DATA_SHA}.png"
    info = store.put(
        "uploads",
        key,
        io.BytesIO(DATA),
        size=len(DATA) if size_known else None,
        content_type="image/png",
        metadata={"Approval-Code": "AG-2025-0001"},
        sha256=DATA_SHA if sha_given else None,
    )
    for seen in (info, store.stat("uploads", key)):
        assert seen.key == key
        assert seen.size == len(DATA)
        assert seen.sha256 == DATA_SHA
        assert seen.content_type == "image/png"
        assert seen.metadata == {"approval-code": "AG-2025-0001"}
        assert seen.last_modified is not None
        assert seen.retain_until is None


def test_open_streams_the_object_in_bounded_chunks(
    store: ObjectStore, prefix: str, put_bytes, read_all
) -> None:
    data = bytes(range(256)) * (CHUNK_SIZE * 5 // 2 // 256)
    put_bytes(store, "uploads", f"{prefix}big.bin", data)
    with store.open("uploads", f"{prefix}big.bin") as reader:
        head = reader.read(10)
        chunks = list(reader)
    assert reader.closed
    assert all(0 < len(chunk) <= CHUNK_SIZE for chunk in chunks)
    assert head + b"".join(chunks) == data


def test_exists_reports_whether_the_object_is_there(store: ObjectStore, prefix: str, put_bytes):
    assert not store.exists("uploads", f"{prefix}a.txt")
    put_bytes(store, "uploads", f"{prefix}a.txt", b"a")
    assert store.exists("uploads", f"{prefix}a.txt")
    assert not store.exists("approved", f"{prefix}a.txt")


def test_copy_keeps_sha256_type_and_metadata(store: ObjectStore, prefix: str, put_bytes, read_all):
    put_bytes(
        store,
        "uploads",
        f"{prefix}src.png",
        DATA,
        content_type="image/png",
        metadata={"unit": "xa-my-hoa-hung"},
    )
    info = store.copy("uploads", f"{prefix}src.png", "approved", f"{prefix}dst.png")
    assert (info.size, info.sha256, info.content_type) == (len(DATA), DATA_SHA, "image/png")
    assert info.metadata == {"unit": "xa-my-hoa-hung"}
    assert read_all(store, "approved", f"{prefix}dst.png") == DATA
    assert store.exists("uploads", f"{prefix}src.png")


def test_copy_with_metadata_replaces_user_metadata_but_keeps_sha256(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    put_bytes(
        store,
        "uploads",
        f"{prefix}src.png",
        DATA,
        content_type="image/png",
        metadata={"unit": "xa-my-hoa-hung"},
    )
    info = store.copy(
        "uploads",
        f"{prefix}src.png",
        "approved",
        f"{prefix}dst.png",
        metadata={"approval-code": "AG-2025-0002"},
    )
    assert info.metadata == {"approval-code": "AG-2025-0002"}
    assert info.sha256 == DATA_SHA
    assert store.stat("approved", f"{prefix}dst.png").content_type == "image/png"


def test_delete_removes_the_object_and_is_idempotent(store: ObjectStore, prefix: str, put_bytes):
    put_bytes(store, "uploads", f"{prefix}gone.txt", b"x")
    store.delete("uploads", f"{prefix}gone.txt")
    assert not store.exists("uploads", f"{prefix}gone.txt")
    store.delete("uploads", f"{prefix}gone.txt")
    store.delete("uploads", f"{prefix}never-there.txt")


def test_list_with_prefix_is_recursive_and_returns_exact_keys(
    store: ObjectStore, prefix: str, put_bytes
) -> None:
    keys = ["p/a.txt", "p/sub/b.txt", "p/sub/deeper/c.txt", "p-other/x.txt", "pa/y.txt"]
    for index, key in enumerate(keys):
        put_bytes(store, "uploads", prefix + key, b"z" * index, sha256=None)
    listed = list(store.list("uploads", f"{prefix}p/"))
    assert [info.key for info in listed] == [prefix + k for k in keys[:3]]
    assert [info.size for info in listed] == [0, 1, 2]
    assert all(info.sha256 == hashlib.sha256(b"z" * i).hexdigest() for i, info in enumerate(listed))
    assert [i.key for i in store.list("uploads", f"{prefix}p/su")] == [
        prefix + k for k in keys[1:3]
    ]
    # Key order is UTF-8 byte order, as S3 lists: "p-other/" sorts before "p/".
    assert [i.key for i in store.list("uploads", f"{prefix}p")] == sorted(prefix + k for k in keys)
    assert list(store.list("uploads", f"{prefix}nothing/")) == []


def test_verify_accepts_the_intact_object_and_detects_corruption(
    store: ObjectStore, prefix: str, put_bytes, raw_client
) -> None:
    key = f"{prefix}uploads/v1/{DATA_SHA}.png"
    info = put_bytes(store, "uploads", key, DATA, sha256=DATA_SHA)
    assert store.checksum_matches("uploads", key, info.sha256)
    corrupted = DATA[:-1] + b"!"
    if isinstance(store, LocalStore):
        (store.root / store.bucket("uploads") / key).write_bytes(corrupted)
    else:
        # Rewrite the bytes behind the store's back, keeping its recorded checksum.
        raw_client().put_object(
            store.bucket("uploads"),
            key,
            io.BytesIO(corrupted),
            len(corrupted),
            metadata={"sha256": DATA_SHA},
        )
    assert store.stat("uploads", key).sha256 == DATA_SHA
    assert not store.checksum_matches("uploads", key, DATA_SHA)


@pytest.mark.parametrize("size_known", [True, False], ids=["size", "no-size"])
def test_put_with_wrong_sha256_raises_checksum_mismatch_and_leaves_nothing(
    store: ObjectStore, prefix: str, size_known: bool
) -> None:
    key = f"{prefix}bad.png"
    with pytest.raises(ChecksumMismatch) as caught:
        store.put(
            "uploads",
            key,
            io.BytesIO(DATA),
            size=len(DATA) if size_known else None,
            sha256="0" * 64,
        )
    assert "SHA-256 không khớp" in str(caught.value)
    assert caught.value.actual == DATA_SHA
    assert not store.exists("uploads", key)
    assert list(store.list("uploads", prefix)) == []


def test_put_of_a_stream_shorter_than_its_size_fails_and_leaves_nothing(
    store: ObjectStore, prefix: str
) -> None:
    with pytest.raises(ValueError, match="stream ended"):
        store.put("uploads", f"{prefix}short.bin", io.BytesIO(b"abc"), size=10)
    assert not store.exists("uploads", f"{prefix}short.bin")


@pytest.mark.parametrize("operation", ["open", "stat", "copy"])
def test_missing_key_raises_object_not_found_in_vietnamese(
    store: ObjectStore, prefix: str, operation: str
) -> None:
    key = f"{prefix}khong-co.png"
    with pytest.raises(ObjectNotFound) as caught:
        if operation == "copy":
            store.copy("uploads", key, "approved", f"{prefix}dst.png")
        else:
            getattr(store, operation)("uploads", key)
    assert str(caught.value) == f"Không tìm thấy tệp trong kho lưu trữ: {key}"
    assert (caught.value.area, caught.value.key) == ("uploads", key)
    assert not store.exists("approved", f"{prefix}dst.png")


@pytest.mark.parametrize(
    "key",
    ["../escape.txt", "a/../../escape.txt", "/etc/passwd", "a//b", "a\\b", "a\x00b", "", "a/./b"],
)
def test_keys_with_dot_dot_absolute_paths_or_odd_segments_are_refused(
    store: ObjectStore, key: str, tmp_path
) -> None:
    with pytest.raises(ValueError):
        store.put("uploads", key, io.BytesIO(b"x"), size=1)
    with pytest.raises(ValueError):
        store.stat("uploads", key)
    if isinstance(store, LocalStore):
        assert not (tmp_path / "escape.txt").exists()
        assert not (store.root / "escape.txt").exists()


@pytest.mark.parametrize(
    "metadata",
    [
        {"sha256": "x"},
        {"Content-Type": "x"},
        {"x-amz-acl": "x"},
        {"tên": "x"},
        {"name": "Nguyễn"},
        {"bad key": "x"},
    ],
)
def test_metadata_must_be_ascii_and_not_reserved(store: ObjectStore, prefix: str, metadata):
    with pytest.raises(ValueError):
        store.put("uploads", f"{prefix}m.txt", io.BytesIO(b"x"), size=1, metadata=metadata)


def test_put_over_an_existing_key_replaces_bytes_and_metadata(
    store: ObjectStore, prefix: str, put_bytes, read_all
) -> None:
    put_bytes(store, "uploads", f"{prefix}p.webp", b"old", metadata={"kind": "preview"})
    info = put_bytes(store, "uploads", f"{prefix}p.webp", b"newer", content_type="image/webp")
    assert (info.size, info.sha256) == (5, hashlib.sha256(b"newer").hexdigest())
    assert (info.content_type, info.metadata) == ("image/webp", {})
    assert read_all(store, "uploads", f"{prefix}p.webp") == b"newer"


def test_a_key_prefix_is_not_an_object(store: ObjectStore, prefix: str, put_bytes) -> None:
    put_bytes(store, "uploads", f"{prefix}dir/file.txt", b"x")
    assert not store.exists("uploads", f"{prefix}dir")
    with pytest.raises(ObjectNotFound):
        store.open("uploads", f"{prefix}dir")
    store.delete("uploads", f"{prefix}dir")
    assert store.exists("uploads", f"{prefix}dir/file.txt")
