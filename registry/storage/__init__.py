"""Object storage behind one small interface: LocalStore on disk, MinioStore on S3/MinIO.

Every path a file's bytes take lives in this package:
- base.py, local.py, minio_store.py (with minio_support.py, util.py): the interface and its two
  backends, without Flask; this module builds the configured one.
- spool.py: uploads spooled to temporary files and hashed while they arrive.
- incoming.py: a spool read behind its writer by a background put (MinIO multipart).
- service.py: the app's store; objects a request wrote are deleted unless its commit claims them.
- serving.py: streaming objects to users (previews, originals, print files, LocalStore links).
- consistency.py: `flask registry check-storage`, the store checked against the database.

What callers must know:
- put always records the SHA-256 (metadata key "sha256") computed while streaming. Pass
  sha256= when known (the registry's keys contain it): the store then verifies it and, on
  MinIO, skips the server-side self-copy it otherwise needs to write the digest afterwards.
- Pass size= when known; without it MinIO uploads in 5 MiB parts (objects up to 50 GiB).
- put_file stores a finished local file whose SHA-256 its writer measured (the upload spools):
  the digest is recorded unread. Spool into spool_dir() (LocalStore: root/.incoming) and
  LocalStore hard-links the file into place instead of copying it.
- start_put/finish_put (stores_while_arriving: MinIO) store a spool while it is still written
  (incoming.py: a background multipart upload); abort() on the pending put leaves nothing.
- A failed checksum removes the object. LocalStore keeps an older object under the same key;
  MinIO has already replaced it (keys are content-addressed, so this should not arise).
- retain_until is honoured only in the "approved" area (S3 GOVERNANCE mode): a retained key
  can be neither deleted nor overwritten (RetentionError) until the date has passed.
- Metadata keys are lower-case [a-z0-9-], values printable ASCII (they travel as headers).
- LocalStore links point at url_prefix + token; the serving view calls resolve_presigned
  and streams open(); MinIO links go straight to the server (public_endpoint if set).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .base import (
    ChecksumMismatch,
    LinkExpired,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    RetentionError,
    StorageError,
    StoreFull,
)
from .local import LocalStore
from .minio_store import MinioStore
from .util import CHUNK_SIZE, ObjectReader, content_disposition

__all__ = [
    "CHUNK_SIZE",
    "ChecksumMismatch",
    "LinkExpired",
    "LocalStore",
    "MinioStore",
    "ObjectInfo",
    "ObjectNotFound",
    "ObjectReader",
    "ObjectStore",
    "RetentionError",
    "StorageError",
    "StoreFull",
    "build_store",
    "content_disposition",
]

_MINIO_REQUIRED = (
    "REGISTRY_MINIO_ENDPOINT",
    "REGISTRY_MINIO_ACCESS_KEY",
    "REGISTRY_MINIO_SECRET_KEY",
)


def build_store(config: Mapping[str, Any]) -> ObjectStore:
    """Build the object store that config's REGISTRY_STORAGE names."""
    buckets = {
        "uploads": config.get("REGISTRY_UPLOADS_BUCKET") or "registry-uploads",
        "approved": config.get("REGISTRY_APPROVED_BUCKET") or "registry-approved",
    }
    kind = str(config.get("REGISTRY_STORAGE") or "local").strip().lower()
    if kind == "local":
        path = config.get("REGISTRY_LOCAL_STORAGE_PATH")
        if not path:
            raise ValueError("REGISTRY_LOCAL_STORAGE_PATH must be set when REGISTRY_STORAGE=local")
        secret = config.get("SECRET_KEY")
        if not secret:
            raise ValueError("SECRET_KEY must be set: LocalStore signs download links with it")
        return LocalStore(Path(path), buckets, signing_key=secret)
    if kind == "minio":
        missing = [name for name in _MINIO_REQUIRED if not config.get(name)]
        if missing:
            raise ValueError(f"REGISTRY_STORAGE=minio needs {', '.join(missing)}")
        return MinioStore(
            config["REGISTRY_MINIO_ENDPOINT"],
            config["REGISTRY_MINIO_ACCESS_KEY"],
            config["REGISTRY_MINIO_SECRET_KEY"],
            secure=bool(config.get("REGISTRY_MINIO_SECURE")),
            region=config.get("REGISTRY_MINIO_REGION") or None,
            buckets=buckets,
            public_endpoint=config.get("REGISTRY_MINIO_PUBLIC_ENDPOINT") or None,
        )
    raise ValueError(f"REGISTRY_STORAGE must be 'local' or 'minio', not {kind!r}")
