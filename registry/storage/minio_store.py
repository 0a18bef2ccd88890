"""MinioStore: objects in any S3-compatible server through the minio SDK."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import gettext as _
from minio import Minio
from minio.commonconfig import GOVERNANCE, REPLACE, CopySource
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from minio.retention import Retention

from .base import (
    ChecksumMismatch,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    RetentionError,
    StorageError,
)
from .incoming import BackgroundPut, SpoolTail
from .minio_support import (
    BUCKET_RACE_CODES,
    LOCKED_CODES,
    NOT_FOUND_CODES,
    http_client,
    object_info,
    split_endpoint,
    translate_errors,
)
from .util import (
    SHA256_KEY,
    HashingReader,
    ObjectReader,
    content_disposition,
    validate_expires,
    validate_key,
    validate_metadata,
    validate_retain_until,
    validate_sha256,
)

log = logging.getLogger(__name__)

# Part size for uploads of unknown length: the S3 minimum, allowing 10,000 x 5 MiB = 50 GiB
# per object. The SDK briefly holds about three parts (previous, incoming, trimmed copy), so
# the part size sets peak memory per upload: about 15 MiB here.
PART_SIZE = 5 * 1024 * 1024


class MinioStore(ObjectStore):
    """Store objects in S3 buckets; "approved" is created with object lock (GOVERNANCE)."""

    stores_while_arriving = True

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: str,
        *,
        secure: bool = False,
        region: str | None = None,
        buckets: dict[str, str],
        public_endpoint: str | None = None,
    ) -> None:
        super().__init__(buckets)
        # A fixed region avoids a GetBucketLocation round trip and lets presigning stay offline.
        self.region = region or "us-east-1"
        self._client = Minio(
            endpoint,
            access_key,
            secret_key,
            secure=secure,
            region=self.region,
            http_client=http_client(secure),
        )
        self._presigner = self._client
        if public_endpoint:
            # Browsers reach the server under another name; the host is part of the signature.
            host, public_secure = split_endpoint(public_endpoint, secure)
            self._presigner = Minio(
                host, access_key, secret_key, secure=public_secure, region=self.region
            )
        self._lock_cache: dict[str, bool] = {}

    def _lock_enabled(self, area: str) -> bool:
        bucket = self.bucket(area)
        if bucket in self._lock_cache:
            return self._lock_cache[bucket]
        try:
            with translate_errors(area, ""):
                try:
                    self._client.get_object_lock_config(bucket)
                    enabled = True
                except S3Error as exc:
                    if "ObjectLock" not in (exc.code or ""):
                        raise
                    enabled = False  # ObjectLockConfigurationNotFoundError
        except ObjectNotFound:
            return False  # the bucket does not exist yet: ask again after ensure_buckets
        self._lock_cache[bucket] = enabled
        return enabled

    @property
    def supports_object_lock(self) -> bool:
        """Report whether the approved bucket has object lock enabled (read once)."""
        return self._lock_enabled("approved")

    def ensure_buckets(self) -> None:
        """Create the buckets if missing (approved with object lock); safe to repeat."""
        for area, bucket in self.buckets.items():
            with translate_errors(area, ""):
                if self._client.bucket_exists(bucket):
                    continue
                try:
                    self._client.make_bucket(bucket, object_lock=area in self.locked_areas)
                except S3Error as exc:
                    # Another process won the race to create it.
                    if exc.code not in BUCKET_RACE_CODES:
                        raise
        self._lock_cache.clear()
        if not self.supports_object_lock:
            bucket = self.bucket("approved")
            log.warning("bucket %s has no object lock: retention is not enforced", bucket)
        self._ensured = True

    def put(
        self,
        area: str,
        key: str,
        stream: BinaryIO,
        *,
        size: int | None = None,
        content_type: str = "application/octet-stream",
        metadata: dict[str, str] | None = None,
        sha256: str | None = None,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Stream an object in, recording its SHA-256; verify it when sha256 is given."""
        bucket, key = self.bucket(area), validate_key(key)
        headers = validate_metadata(metadata)
        expected = validate_sha256(sha256)
        validate_retain_until(retain_until)
        self._ensure_once()
        self._check_not_retained(area, key)
        retention = self._retention(area, retain_until)
        if expected:
            headers[SHA256_KEY] = expected
        reader = HashingReader(stream)
        with translate_errors(area, key):
            try:
                result = self._client.put_object(
                    bucket,
                    key,
                    reader,  # type: ignore[arg-type]
                    length=-1 if size is None else size,
                    content_type=content_type,
                    metadata=headers,  # type: ignore[arg-type]
                    part_size=PART_SIZE if size is None else 0,
                    # Parallel uploads queue parts without bound: memory would grow.
                    num_parallel_uploads=1,
                    retention=retention,
                )
            except OSError as exc:
                if type(exc) is OSError and "not enough data" in str(exc):
                    raise ValueError(f"stream ended before {size} bytes") from exc
                raise
        actual = reader.hexdigest()
        if expected is None:
            # The digest is known only now: record it on the object just written.
            self._record_sha256(area, key, actual, headers, content_type, retention)
        elif actual != expected:
            with translate_errors(area, key):
                # The version this call has just written (and perhaps locked) is its own.
                doomed = [DeleteObject(key, result.version_id)]
                list(self._client.remove_objects(bucket, doomed, bypass_governance_mode=True))
            raise ChecksumMismatch(key, expected, actual)
        return self.stat(area, key)

    def put_file(
        self,
        area: str,
        key: str,
        path: str | Path,
        *,
        size: int,
        sha256: str,
        content_type: str = "application/octet-stream",
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Upload a finished, hashed local file; the digest is recorded, not computed again."""
        bucket, key = self.bucket(area), validate_key(key)
        headers = validate_metadata(metadata)
        digest = validate_sha256(sha256)
        if digest is None:
            raise ValueError("put_file needs the file's sha256")
        self._ensure_once()
        self._check_not_retained(area, key)
        headers[SHA256_KEY] = digest
        with open(path, "rb") as stream, translate_errors(area, key):
            try:
                self._client.put_object(
                    bucket,
                    key,
                    stream,
                    length=size,
                    content_type=content_type,
                    metadata=headers,  # type: ignore[arg-type]
                    num_parallel_uploads=1,
                )
            except OSError as exc:
                if type(exc) is OSError and "not enough data" in str(exc):
                    raise ValueError(f"file ended before {size} bytes") from exc
                raise
        return self.stat(area, key)

    def start_put(
        self, area: str, key: str, tail: SpoolTail, *, content_type: str
    ) -> BackgroundPut:
        """Upload the spool part by part (a multipart upload) while the request still writes it."""
        bucket, key = self.bucket(area), validate_key(key)
        self._ensure_once()

        def put(reader: SpoolTail):
            # Length unknown: the SDK reads PART_SIZE + 1 bytes at a time, so one part (three
            # briefly) is in memory; an exception from the reader aborts the multipart upload.
            return self._client.put_object(
                bucket,
                key,
                reader,  # type: ignore[arg-type]
                length=-1,
                content_type=content_type,
                part_size=PART_SIZE,
                num_parallel_uploads=1,
            )

        return BackgroundPut(key, tail, put, lambda: translate_errors(area, key))

    def finish_put(
        self,
        area: str,
        pending: BackgroundPut,
        *,
        sha256: str,
        content_type: str,
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Wait for the last part, then record the SHA-256 and metadata (a self-copy, which
        MinIO does without moving the bytes)."""
        key = pending.key
        headers = validate_metadata(metadata)
        digest = validate_sha256(sha256)
        if digest is None:
            raise ValueError("finish_put needs the spool's sha256")
        pending.finish()
        self._record_sha256(area, key, digest, headers, content_type)
        return self.stat(area, key)

    def _record_sha256(
        self,
        area: str,
        key: str,
        sha256: str,
        headers: dict[str, str],
        content_type: str,
        retention: Retention | None = None,
    ) -> None:
        """Record a digest known only once the object is written: a server-side self-copy that
        replaces its metadata (MinIO does it without moving the bytes)."""
        headers.update({SHA256_KEY: sha256, "Content-Type": content_type})
        with translate_errors(area, key):
            self._client.copy_object(
                self.bucket(area),
                key,
                CopySource(self.bucket(area), key),
                metadata=headers,  # type: ignore[arg-type]
                metadata_directive=REPLACE,
                retention=retention,
            )

    def open(self, area: str, key: str) -> ObjectReader:
        """Open an object for streaming reads."""
        bucket, key = self.bucket(area), validate_key(key)
        with translate_errors(area, key):
            response = self._client.get_object(bucket, key)

        def read(size: int) -> bytes:
            with translate_errors(area, key):
                return response.read(size)

        def close() -> None:
            response.close()
            response.release_conn()

        return ObjectReader(read, close)

    def stat(self, area: str, key: str) -> ObjectInfo:
        """Return an object's size, checksum, type, metadata and retention."""
        bucket, key = self.bucket(area), validate_key(key)
        with translate_errors(area, key):
            obj = self._client.stat_object(bucket, key)
        return object_info(key, obj.size or 0, obj.metadata or {}, obj.last_modified)

    def copy(
        self,
        src_area: str,
        src_key: str,
        dst_area: str,
        dst_key: str,
        *,
        metadata: dict[str, str] | None = None,
        retain_until: datetime | None = None,
    ) -> ObjectInfo:
        """Copy server-side, keeping SHA-256 and type; metadata replaces the user metadata."""
        dst_bucket, dst_key = self.bucket(dst_area), validate_key(dst_key)
        user = None if metadata is None else validate_metadata(metadata)
        validate_retain_until(retain_until)
        source = self.stat(src_area, src_key)
        self._ensure_once()
        self._check_not_retained(dst_area, dst_key)
        headers = dict(source.metadata if user is None else user)
        headers["Content-Type"] = source.content_type
        if source.sha256:
            headers[SHA256_KEY] = source.sha256
        retention = self._retention(dst_area, retain_until)
        with translate_errors(src_area, src_key):
            self._client.copy_object(
                dst_bucket,
                dst_key,
                CopySource(self.bucket(src_area), src_key),
                metadata=headers,  # type: ignore[arg-type]
                metadata_directive=REPLACE,
                retention=retention,
            )
        return self.stat(dst_area, dst_key)

    def _retention(self, area: str, retain_until: datetime | None) -> Retention | None:
        if retain_until and area in self.locked_areas and self._lock_enabled(area):
            # GOVERNANCE, not COMPLIANCE: an administrator holding the bypass permission can
            # still correct a mistaken approval; nobody else can delete or replace the object.
            return Retention(GOVERNANCE, retain_until.astimezone(UTC))
        return None

    def delete(self, area: str, key: str, *, bypass_retention: bool = False) -> None:
        """Delete an object (every version in a locked bucket); do nothing if it is missing."""
        bucket, key = self.bucket(area), validate_key(key)
        versioned = area in self.locked_areas and self._lock_enabled(area)
        versions: list[str | None] = [None]
        with translate_errors(area, key):
            if versioned:
                # A plain DELETE in a versioned bucket only hides the object behind a delete
                # marker and never meets the lock; delete the versions themselves, oldest
                # first, so a locked current version stays visible and unchanged.
                listing = self._client.list_objects(
                    bucket, prefix=key, include_version=True, recursive=True
                )
                versions = [o.version_id for o in listing if o.object_name == key][::-1]
            if versioned and bypass_retention:
                doomed = [DeleteObject(key, version) for version in versions]
                failures = self._client.remove_objects(bucket, doomed, bypass_governance_mode=True)
                problems = [f for f in failures if f.code not in NOT_FOUND_CODES]
                if problems:
                    raise StorageError(
                        _(
                            "không xóa được %(key)s: %(problem)s",
                            key=key,
                            problem=problems[0].message,
                        )
                    )
                return
            for version in versions:
                try:
                    self._client.remove_object(bucket, key, version_id=version)
                except S3Error as exc:
                    if versioned and exc.code in LOCKED_CODES:
                        raise RetentionError(key) from exc
                    if exc.code not in NOT_FOUND_CODES:
                        raise

    def list(self, area: str, prefix: str = "") -> Iterator[ObjectInfo]:
        """List every object under prefix, recursively, in key order."""
        bucket = self.bucket(area)
        try:
            with translate_errors(area, prefix):
                # include_user_meta is a MinIO extension; other servers return no metadata.
                for obj in self._client.list_objects(
                    bucket, prefix=prefix or None, recursive=True, include_user_meta=True
                ):
                    yield object_info(
                        obj.object_name or "", obj.size or 0, obj.metadata or {}, obj.last_modified
                    )
        except ObjectNotFound:
            return  # no bucket yet means no objects

    def presigned_url(
        self,
        area: str,
        key: str,
        *,
        expires: timedelta,
        filename: str | None = None,
    ) -> str:
        """Return a presigned GET URL, served as an attachment named filename when given."""
        bucket, key = self.bucket(area), validate_key(key)
        validate_expires(expires)
        params: dict[str, Any] = {}
        if filename:
            params["response-content-disposition"] = content_disposition(filename)
            guessed = mimetypes.guess_type(filename)[0]
            if guessed:
                params["response-content-type"] = guessed
        with translate_errors(area, key):
            return self._presigner.presigned_get_object(
                bucket, key, expires=expires, response_headers=params or None
            )
