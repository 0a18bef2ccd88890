"""LocalStore: objects as files under one directory, for running with no storage server."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .base import (
    ChecksumMismatch,
    LinkExpired,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StoreFull,
)
from .util import (
    CHUNK_SIZE,
    PARTIAL_PREFIX,
    ObjectReader,
    validate_expires,
    validate_key,
    validate_metadata,
    validate_retain_until,
    validate_sha256,
)

_META_DIR = ".meta"
# Uploads are spooled here, on the store's own filesystem, so put_file moves them in (a link)
# instead of copying them a second time.
_INCOMING_DIR = ".incoming"
# os.link fails so when the spool is elsewhere (another filesystem, or one without hard links).
_CANNOT_LINK = (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP)


def _now() -> float:
    """Return the current Unix time (a seam for tests of link expiry)."""
    return time.time()


class LocalStore(ObjectStore):
    """Store objects at root/<bucket>/<key>, metadata in root/.meta/<bucket>/<key>.json."""

    def __init__(
        self,
        root: Path | str,
        buckets: dict[str, str],
        signing_key: str | bytes,
        url_prefix: str = "/storage/",
    ) -> None:
        super().__init__(buckets)
        if not signing_key:
            raise ValueError("LocalStore needs a signing key for download links")
        self.root = Path(root)
        self.url_prefix = url_prefix
        self._signer = URLSafeTimedSerializer(signing_key, salt="registry-storage")

    @property
    def supports_object_lock(self) -> bool:
        """Report True: LocalStore enforces retain_until itself."""
        return True

    def ensure_buckets(self) -> None:
        """Create the bucket and metadata directories; safe to repeat concurrently."""
        for name in self.buckets.values():
            (self.root / name).mkdir(parents=True, exist_ok=True)
            (self.root / _META_DIR / name).mkdir(parents=True, exist_ok=True)
        self._ensured = True

    # -- paths and metadata ------------------------------------------------------------------

    def _path(self, area: str, key: str) -> Path:
        return self.root / self.bucket(area) / validate_key(key)

    def _meta_path(self, area: str, key: str) -> Path:
        return self.root / _META_DIR / self.bucket(area) / f"{validate_key(key)}.json"

    def _read_meta(self, area: str, key: str) -> dict[str, Any]:
        try:
            return json.loads(self._meta_path(area, key).read_text("utf-8"))
        except FileNotFoundError:
            # An object written by hand (or a crash between data and sidecar): no metadata.
            return {}

    def _write_meta(self, area: str, key: str, meta: dict[str, Any]) -> None:
        path = self._meta_path(area, key)
        _make_parent(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(meta, handle)
            os.replace(tmp, path)
        except BaseException as error:
            _unlink(tmp)
            _raise_if_full(error)
            raise

    def _info(self, area: str, key: str, path: Path) -> ObjectInfo:
        st = path.stat()
        meta = self._read_meta(area, key)
        retain = meta.get("retain_until")
        return ObjectInfo(
            key=key,
            size=st.st_size,
            sha256=meta.get("sha256"),
            content_type=meta.get("content_type", "application/octet-stream"),
            metadata=dict(meta.get("metadata", {})),
            last_modified=datetime.fromtimestamp(st.st_mtime, UTC),
            retain_until=datetime.fromisoformat(retain) if retain else None,
        )

    def _write_temp(self, path: Path, stream: BinaryIO, limit: int | None) -> tuple[str, str]:
        """Copy stream into a temp file beside path; return (temp path, sha256)."""
        _make_parent(path)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=PARTIAL_PREFIX)
        digest, written = hashlib.sha256(), 0
        try:
            with os.fdopen(fd, "wb") as handle:
                while limit is None or written < limit:
                    want = CHUNK_SIZE if limit is None else min(CHUNK_SIZE, limit - written)
                    chunk = stream.read(want)
                    if not chunk:
                        break
                    digest.update(chunk)
                    handle.write(chunk)
                    written += len(chunk)
                handle.flush()
                # fsync before the rename so a crash never publishes a file with missing bytes.
                os.fsync(handle.fileno())
            if limit is not None and written != limit:
                raise ValueError(f"stream ended after {written} of {limit} bytes")
        except BaseException as error:
            _unlink(tmp)
            _raise_if_full(error)
            raise
        return tmp, digest.hexdigest()

    def _publish(self, area: str, key: str, tmp: str, path: Path, meta: dict[str, Any]) -> None:
        """Write the sidecar, then move the finished temp file into place."""
        try:
            self._write_meta(area, key, meta)
        except BaseException:
            _unlink(tmp)
            raise
        os.replace(tmp, path)

    def _adopt(self, path: Path, source: str | Path, size: int) -> str:
        """Hard-link source (else copy it) to a temp name beside path, durable; return it."""
        _make_parent(path)
        tmp = str(path.parent / f"{PARTIAL_PREFIX}{secrets.token_hex(8)}")
        try:
            try:
                os.link(source, tmp)
            except OSError as error:
                if error.errno not in _CANNOT_LINK:
                    raise
                shutil.copyfile(source, tmp)  # copy_file_range/sendfile: no bytes through Python
            fd = os.open(tmp, os.O_RDONLY)
            try:
                # fsync before the rename so a crash never publishes a file with missing bytes.
                os.fsync(fd)
                written = os.fstat(fd).st_size
            finally:
                os.close(fd)
            if written != size:
                raise ValueError(f"file holds {written} bytes, not {size}")
        except BaseException as error:
            _unlink(tmp)
            _raise_if_full(error)
            raise
        return tmp

    # -- the interface -----------------------------------------------------------------------

    def spool_dir(self) -> Path:
        """Return the folder beside the buckets that uploads are spooled in."""
        path = self.root / _INCOMING_DIR
        path.mkdir(parents=True, exist_ok=True)
        return path

    def sweep_spools(self, older_than: timedelta) -> int:
        """Delete spooled files a crashed process left behind longer ago than older_than."""
        folder, removed = self.root / _INCOMING_DIR, 0
        cutoff = _now() - older_than.total_seconds()
        for path in folder.glob("*") if folder.is_dir() else ():
            with contextlib.suppress(FileNotFoundError):
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
        return removed

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
        """Move a finished, hashed local file in: a hard link on the same filesystem, else a
        copy; the digest is trusted, not computed again."""
        target = self._path(area, key)
        user_meta = validate_metadata(metadata)
        digest = validate_sha256(sha256)
        if digest is None:
            raise ValueError("put_file needs the file's sha256")
        self._ensure_once()
        self._check_not_retained(area, key)
        tmp = self._adopt(target, path, size)
        meta = {
            "content_type": content_type,
            "sha256": digest,
            "metadata": user_meta,
            "retain_until": None,
        }
        self._publish(area, key, tmp, target, meta)
        _fsync_dir(target.parent)
        return self._info(area, key, target)

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
        path = self._path(area, key)
        user_meta = validate_metadata(metadata)
        expected = validate_sha256(sha256)
        validate_retain_until(retain_until)
        self._ensure_once()
        self._check_not_retained(area, key)
        tmp, actual = self._write_temp(path, stream, size)
        if expected is not None and actual != expected:
            _unlink(tmp)
            raise ChecksumMismatch(key, expected, actual)
        locked = retain_until if area in self.locked_areas else None
        meta = {
            "content_type": content_type,
            "sha256": actual,
            "metadata": user_meta,
            "retain_until": locked.astimezone(UTC).isoformat() if locked else None,
        }
        # The sidecar first: a disk that fills up in between leaves no object without it.
        self._publish(area, key, tmp, path, meta)
        return self._info(area, key, path)

    def open(self, area: str, key: str) -> ObjectReader:
        """Open an object for streaming reads."""
        path = self._path(area, key)
        try:
            handle = path.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise ObjectNotFound(area, key) from None
        return ObjectReader(handle.read, handle.close)

    def stat(self, area: str, key: str) -> ObjectInfo:
        """Return an object's size, checksum, type, metadata and retention."""
        path = self._path(area, key)
        try:
            if path.is_file():
                return self._info(area, key, path)
        except FileNotFoundError:
            pass  # deleted between the check and the stat
        raise ObjectNotFound(area, key)

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
        """Copy an object, keeping its SHA-256 and type; metadata replaces the user metadata."""
        dst_path = self._path(dst_area, dst_key)
        user_meta = None if metadata is None else validate_metadata(metadata)
        validate_retain_until(retain_until)
        source = self.stat(src_area, src_key)
        self._ensure_once()
        self._check_not_retained(dst_area, dst_key)
        with self.open(src_area, src_key) as reader:
            tmp, _ = self._write_temp(dst_path, reader, None)  # type: ignore[arg-type]
        locked = retain_until if dst_area in self.locked_areas else None
        meta = {
            "content_type": source.content_type,
            "sha256": source.sha256,
            "metadata": source.metadata if user_meta is None else user_meta,
            "retain_until": locked.astimezone(UTC).isoformat() if locked else None,
        }
        self._publish(dst_area, dst_key, tmp, dst_path, meta)
        return self._info(dst_area, dst_key, dst_path)

    def delete(self, area: str, key: str, *, bypass_retention: bool = False) -> None:
        """Delete an object; do nothing if it is missing."""
        path = self._path(area, key)
        if not bypass_retention:
            self._check_not_retained(area, key)
        # Empty directories are left behind on purpose: pruning them races with a
        # concurrent put that has just created the same directory.
        _unlink(path)
        _unlink(self._meta_path(area, key))

    def list(self, area: str, prefix: str = "") -> Iterator[ObjectInfo]:
        """List every object under prefix, recursively, in key order."""
        base = self.root / self.bucket(area)
        directory = prefix.rpartition("/")[0]
        if directory:
            validate_key(directory)
        start = base / directory if directory else base
        keys = []
        for dirpath, _dirnames, filenames in os.walk(start):
            for name in filenames:
                if name.startswith(PARTIAL_PREFIX):
                    continue
                key = Path(dirpath, name).relative_to(base).as_posix()
                if key.startswith(prefix):
                    keys.append(key)
        # S3 lists in UTF-8 byte order; match it so both stores page identically.
        for key in sorted(keys, key=str.encode):
            with contextlib.suppress(FileNotFoundError):  # deleted while listing
                yield self._info(area, key, base / key)

    def presigned_url(
        self,
        area: str,
        key: str,
        *,
        expires: timedelta,
        filename: str | None = None,
    ) -> str:
        """Return a signed, expiring URL that resolve_presigned turns back into the object."""
        self._path(area, key)  # validates area and key
        validate_expires(expires)
        payload = {"a": area, "k": key, "f": filename, "e": _now() + expires.total_seconds()}
        return self.url_prefix + self._signer.dumps(payload)

    def resolve_presigned(self, token: str) -> tuple[str, str, str | None]:
        """Check a link's signature and expiry; return (area, key, filename)."""
        try:
            payload = self._signer.loads(token)
            area, key, filename, expiry = payload["a"], payload["k"], payload["f"], payload["e"]
        except (BadSignature, KeyError, TypeError):
            raise ObjectNotFound("", "", _("Liên kết tải xuống không hợp lệ.")) from None
        if _now() > float(expiry):
            raise LinkExpired()
        if not self.exists(area, key):
            raise ObjectNotFound(area, key)
        return area, key, filename


def _make_parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # A filesystem cannot hold both "a" and "a/b"; S3 can, but the registry never does.
        raise ValueError(f"object key collides with an existing object: {path}") from None
    except OSError as error:
        _raise_if_full(error)
        raise


def _fsync_dir(path: Path) -> None:
    """Make a rename into path durable (the directory entry itself is written on fsync)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _raise_if_full(error: BaseException) -> None:
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        raise StoreFull() from error


def _unlink(path: Path | str) -> None:
    # A directory here is a key prefix ("a" of "a/b"), not an object: nothing to delete.
    with contextlib.suppress(FileNotFoundError, IsADirectoryError):
        os.unlink(path)
