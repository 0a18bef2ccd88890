"""Plumbing for MinioStore: the HTTP pool, error translation and header parsing."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import certifi
import urllib3
from minio.error import MinioException, S3Error

from .base import ObjectInfo, ObjectNotFound, StorageError
from .util import SHA256_KEY

log = logging.getLogger("registry.storage.minio_store")

META_PREFIX = "x-amz-meta-"
NOT_FOUND_CODES = {"NoSuchKey", "NoSuchBucket", "NoSuchVersion", "ResourceNotFound"}
# MinIO answers InvalidRequest ("WORM protected"), AWS answers AccessDenied.
LOCKED_CODES = {"AccessDenied", "InvalidRequest", "ObjectLocked"}
BUCKET_RACE_CODES = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def http_client(secure: bool) -> urllib3.PoolManager:
    """Build a pool whose retries fail fast: a down server errors in seconds, not minutes."""
    # The SDK's default (5 retries, 5-minute timeouts) would hang a request for minutes.
    retries = urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504])
    options: dict[str, Any] = {}
    if secure:
        options = {
            "cert_reqs": "CERT_REQUIRED",
            "ca_certs": os.environ.get("SSL_CERT_FILE") or certifi.where(),
        }
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=3, read=120), maxsize=10, retries=retries, **options
    )


def split_endpoint(endpoint: str, secure: bool) -> tuple[str, bool]:
    """Return (host[:port], secure) for "host:port" or a URL such as "https://files.example"."""
    parts = urlsplit(endpoint if "://" in endpoint else f"//{endpoint}")
    return parts.netloc, (parts.scheme == "https") if parts.scheme else secure


@contextlib.contextmanager
def translate_errors(area: str, key: str) -> Iterator[None]:
    """Turn SDK and network failures into ObjectNotFound or a generic StorageError."""
    try:
        yield
    except S3Error as exc:
        if exc.code in NOT_FOUND_CODES:
            raise ObjectNotFound(area, key) from exc
        # Logged here because the user only ever sees the generic Vietnamese message.
        log.warning("object store refused %s/%s: %s", area, key, exc)
        raise StorageError() from exc
    except (MinioException, urllib3.exceptions.HTTPError) as exc:
        log.warning("object store unreachable for %s/%s: %s", area, key, exc)
        raise StorageError() from exc


def object_info(
    key: str, size: int, headers: Mapping[str, str], modified: datetime | None
) -> ObjectInfo:
    """Build ObjectInfo from HEAD response headers or a MinIO listing's metadata."""
    # Header names arrive in mixed case (listing: "X-Amz-Meta-Sha256", HEAD: lower case).
    meta = {name.lower(): value for name, value in headers.items()}
    user = {k.removeprefix(META_PREFIX): v for k, v in meta.items() if k.startswith(META_PREFIX)}
    retain = meta.get("x-amz-object-lock-retain-until-date")
    return ObjectInfo(
        key=key,
        size=size,
        sha256=user.pop(SHA256_KEY, None),
        content_type=meta.get("content-type") or "application/octet-stream",
        metadata=user,
        last_modified=modified,
        retain_until=datetime.fromisoformat(retain) if retain else None,
    )
