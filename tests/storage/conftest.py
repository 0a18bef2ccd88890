"""Fixtures running the storage contract suite on LocalStore and on MinioStore."""

from __future__ import annotations

import io
import secrets
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from minio import Minio
from minio.deleteobjects import DeleteObject

from registry.storage import LocalStore, MinioStore, ObjectInfo, ObjectStore
from tests.services import MINIO_KEYS, require_services

SIGNING_KEY = "test-signing-key"


def _minio_settings() -> dict[str, str]:
    """Return the test MinIO connection settings, or skip/fail when they are missing."""
    settings = require_services(*MINIO_KEYS)
    return {
        "endpoint": settings["REGISTRY_TEST_MINIO_ENDPOINT"],
        "access_key": settings["REGISTRY_TEST_MINIO_ACCESS_KEY"],
        "secret_key": settings["REGISTRY_TEST_MINIO_SECRET_KEY"],
    }


def _empty_and_remove(client: Minio, bucket: str) -> None:
    """Delete every version in bucket (bypassing governance retention), then the bucket."""
    if not client.bucket_exists(bucket):
        return
    versions = client.list_objects(bucket, recursive=True, include_version=True)
    doomed = [DeleteObject(o.object_name or "", o.version_id) for o in versions]
    errors = list(client.remove_objects(bucket, doomed, bypass_governance_mode=True))
    assert not errors, errors
    client.remove_bucket(bucket)


class MinioBuckets:
    """Hand out unique bucket pairs for one test session and remove them at the end."""

    def __init__(self, settings: dict[str, str]) -> None:
        self.settings = settings
        self.client = Minio(
            settings["endpoint"], settings["access_key"], settings["secret_key"], secure=False
        )
        self.run = secrets.token_hex(4)
        self.created: list[str] = []

    def pair(self) -> dict[str, str]:
        """Return fresh bucket names for both areas, registered for clean-up."""
        tag = f"t-{self.run}-{secrets.token_hex(3)}"
        buckets = {"uploads": f"{tag}-uploads", "approved": f"{tag}-approved"}
        self.created.extend(buckets.values())
        return buckets

    def store(self, buckets: dict[str, str]) -> MinioStore:
        """Build a MinioStore on the given buckets."""
        return MinioStore(
            self.settings["endpoint"],
            self.settings["access_key"],
            self.settings["secret_key"],
            buckets=buckets,
        )

    def cleanup(self) -> None:
        """Remove every bucket handed out this session."""
        for bucket in self.created:
            _empty_and_remove(self.client, bucket)


@pytest.fixture(scope="session")
def minio_buckets() -> Iterator[MinioBuckets]:
    """Provide the session's MinIO bucket manager (skips or fails when not configured)."""
    manager = MinioBuckets(_minio_settings())
    yield manager
    manager.cleanup()


@pytest.fixture(scope="session")
def minio_session_store(minio_buckets: MinioBuckets) -> MinioStore:
    """Provide one MinioStore whose buckets exist, shared by the whole session."""
    store = minio_buckets.store(minio_buckets.pair())
    store.ensure_buckets()
    return store


@pytest.fixture(params=["local", "minio"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[bool], ObjectStore]:
    """Return make(fresh): a store of the parametrized kind, on new buckets when fresh."""
    if request.param == "local":
        buckets = {"uploads": "registry-uploads", "approved": "registry-approved"}

        def make_local(fresh: bool = False) -> ObjectStore:
            root = tmp_path / ("fresh-" + secrets.token_hex(3) if fresh else "store")
            return LocalStore(root, buckets, signing_key=SIGNING_KEY)

        return make_local
    manager: MinioBuckets = request.getfixturevalue("minio_buckets")

    def make_minio(fresh: bool = False) -> ObjectStore:
        if fresh:
            return manager.store(manager.pair())
        return request.getfixturevalue("minio_session_store")

    return make_minio


@pytest.fixture
def store(store_factory: Callable[[bool], ObjectStore]) -> ObjectStore:
    """Provide a ready store (LocalStore under tmp_path, or MinioStore on session buckets)."""
    return store_factory(False)


@pytest.fixture
def fresh_store(store_factory: Callable[[bool], ObjectStore]) -> ObjectStore:
    """Provide a store whose buckets do not exist yet."""
    return store_factory(True)


@pytest.fixture
def prefix() -> str:
    """Return a unique key prefix, so tests sharing MinIO buckets never collide."""
    return f"t{uuid.uuid4().hex[:8]}/"


@pytest.fixture
def raw_client(request: pytest.FixtureRequest) -> Callable[[], Minio]:
    """Return a getter for the session's plain minio client (for server-side assertions)."""
    return lambda: request.getfixturevalue("minio_buckets").client


def _put_bytes(store: ObjectStore, area: str, key: str, data: bytes, **kwargs: Any) -> ObjectInfo:
    return store.put(area, key, io.BytesIO(data), size=len(data), **kwargs)


def _read_all(store: ObjectStore, area: str, key: str) -> bytes:
    with store.open(area, key) as reader:
        return b"".join(reader)


@pytest.fixture
def put_bytes() -> Callable[..., ObjectInfo]:
    """Return put_bytes(store, area, key, data, **kwargs): put data as a stream of known size."""
    return _put_bytes


@pytest.fixture
def read_all() -> Callable[[ObjectStore, str, str], bytes]:
    """Return read_all(store, area, key): read a small object back through the stream."""
    return _read_all
