"""Choosing a store from configuration, and how an unreachable server fails."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest

from registry.storage import (
    LocalStore,
    MinioStore,
    ObjectNotFound,
    StorageError,
    build_store,
    content_disposition,
)

BUCKETS = {"uploads": "b-uploads", "approved": "b-approved"}


def test_build_store_defaults_to_local_with_default_buckets(tmp_path) -> None:
    store = build_store({"REGISTRY_LOCAL_STORAGE_PATH": str(tmp_path), "SECRET_KEY": "s"})
    assert isinstance(store, LocalStore)
    assert store.buckets == {"uploads": "registry-uploads", "approved": "registry-approved"}
    assert store.root == tmp_path


def test_build_store_makes_a_minio_store_with_configured_buckets() -> None:
    store = build_store(
        {
            "REGISTRY_STORAGE": "minio",
            "REGISTRY_MINIO_ENDPOINT": "127.0.0.1:9",
            "REGISTRY_MINIO_ACCESS_KEY": "a",
            "REGISTRY_MINIO_SECRET_KEY": "b",
            "REGISTRY_MINIO_SECURE": False,
            "REGISTRY_UPLOADS_BUCKET": "up-bucket",
            "REGISTRY_APPROVED_BUCKET": "ok-bucket",
        }
    )
    assert isinstance(store, MinioStore)
    assert store.buckets == {"uploads": "up-bucket", "approved": "ok-bucket"}
    assert store.presigned_url("uploads", "k", expires=timedelta(minutes=1)).startswith("http://")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"REGISTRY_STORAGE": "s3"}, "must be 'local' or 'minio'"),
        ({"REGISTRY_STORAGE": "local", "SECRET_KEY": "s"}, "REGISTRY_LOCAL_STORAGE_PATH"),
        ({"REGISTRY_LOCAL_STORAGE_PATH": "/tmp/x"}, "SECRET_KEY"),
        ({"REGISTRY_STORAGE": "minio", "REGISTRY_MINIO_ENDPOINT": "h:1"}, "ACCESS_KEY"),
    ],
)
def test_build_store_rejects_incomplete_or_unknown_configuration(config, message) -> None:
    with pytest.raises(ValueError, match=message):
        build_store(config)


def test_minio_presigned_urls_use_the_public_endpoint() -> None:
    store = MinioStore(
        "minio:9000",
        "a",
        "b",
        buckets=BUCKETS,
        public_endpoint="https://files.example.org",
    )
    url = store.presigned_url("approved", "x.png", expires=timedelta(minutes=1), filename="x.png")
    assert url.startswith("https://files.example.org/b-approved/x.png?")
    assert "response-content-disposition=attachment" in url


def test_an_unreachable_minio_fails_fast_with_a_vietnamese_message() -> None:
    with socket.socket() as probe:  # find a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    store = MinioStore(f"127.0.0.1:{port}", "a", "b", buckets=BUCKETS)
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        store.stat("uploads", "a.png")
    assert time.monotonic() - started < 5
    assert not isinstance(caught.value, ObjectNotFound)
    assert str(caught.value) == "Kho lưu trữ tạm thời không phản hồi, vui lòng thử lại sau."


@pytest.mark.parametrize("name", ["ab", "Upper-Case", "under_score", "-dash", "a..b", ".meta"])
def test_bucket_names_must_follow_s3_rules(tmp_path, name: str) -> None:
    with pytest.raises(ValueError, match="invalid bucket name"):
        LocalStore(tmp_path, {"uploads": name, "approved": "b-approved"}, signing_key="k")
    with pytest.raises(ValueError, match="invalid bucket name"):
        MinioStore("h:9000", "a", "b", buckets={"uploads": "b-uploads", "approved": name})


def test_content_disposition_has_an_ascii_fallback_and_the_utf8_name() -> None:
    header = content_disposition('Băng rôn "Đại hội" đường Trần Hưng Đạo.pdf')
    assert header == (
        'attachment; filename="Bang ron _Dai hoi_ duong Tran Hung Dao.pdf"; '
        "filename*=UTF-8''B%C4%83ng%20r%C3%B4n%20%22%C4%90%E1%BA%A1i%20h%E1%BB%99i%22%20"
        "%C4%91%C6%B0%E1%BB%9Dng%20Tr%E1%BA%A7n%20H%C6%B0ng%20%C4%90%E1%BA%A1o.pdf"
    )
    assert content_disposition("plain.png") == 'attachment; filename="plain.png"'


@pytest.mark.parametrize(
    ("name", "fallback"),
    [("🎨.png", "download.png"), ("🎨✨", "download"), ("Кампания.pdf", "download.pdf")],
)
def test_content_disposition_falls_back_to_download_when_no_ascii_letter_is_left(
    name: str, fallback: str
) -> None:
    header = content_disposition(name)
    assert header.startswith(f"attachment; filename=\"{fallback}\"; filename*=UTF-8''")
    assert header.isascii()
