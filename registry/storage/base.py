"""The object-store interface shared by every backend, its value types and errors."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .incoming import BackgroundPut, SpoolTail
from .util import ObjectReader, validate_bucket


class StorageError(Exception):
    """A storage failure whose message is safe to show to a user."""

    default_message = _l("Kho lưu trữ tạm thời không phản hồi, vui lòng thử lại sau.")

    def __init__(self, message: str | None = None) -> None:
        # Rendered now, in the language of whoever is served (Vietnamese outside a request).
        super().__init__(str(message or self.default_message))

    @property
    def message(self) -> str:
        """Return the user-facing message."""
        return str(self.args[0])


class ObjectNotFound(StorageError):
    """The requested object (or the bucket holding it) does not exist."""

    def __init__(self, area: str, key: str, message: str | None = None) -> None:
        self.area = area
        self.key = key
        super().__init__(message or _("Không tìm thấy tệp trong kho lưu trữ: %(key)s", key=key))


class ChecksumMismatch(StorageError):
    """The streamed bytes do not hash to the SHA-256 the caller announced."""

    def __init__(self, key: str, expected: str, actual: str) -> None:
        self.key = key
        self.expected = expected
        self.actual = actual
        super().__init__(
            _(
                "Tệp tải lên bị lỗi (mã kiểm tra SHA-256 không khớp): %(key)s. "
                "Vui lòng tải lên lại.",
                key=key,
            )
        )


class RetentionError(StorageError):
    """A delete or overwrite was refused because the object is under retention."""

    def __init__(self, key: str, retain_until: datetime | None = None) -> None:
        self.key = key
        self.retain_until = retain_until
        if retain_until:
            message = _(
                "Tệp đang được khóa lưu trữ đến %(until)s UTC, không thể xóa hoặc ghi đè: %(key)s",
                until=retain_until.strftime("%d/%m/%Y %H:%M"),
                key=key,
            )
        else:
            message = _("Tệp đang được khóa lưu trữ, không thể xóa hoặc ghi đè: %(key)s", key=key)
        super().__init__(message)


class StoreFull(StorageError):
    """The disk under the store has no room left: nothing of the object was kept."""

    default_message = _l(
        "Kho lưu trữ đã hết dung lượng nên tệp chưa được lưu (không có gì được ghi dở dang). "
        "Vui lòng báo quản trị viên giải phóng hoặc mở rộng ổ đĩa, rồi tải lên lại."
    )


class LinkExpired(StorageError):
    """A download link was valid once but its lifetime is over."""

    def __init__(self) -> None:
        super().__init__(
            _("Liên kết tải xuống đã hết hạn, vui lòng tải lại trang để lấy liên kết mới.")
        )


@dataclass(frozen=True)
class ObjectInfo:
    """What a store knows about one object."""

    key: str
    size: int
    sha256: str | None
    content_type: str
    metadata: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None
    retain_until: datetime | None = None


class ObjectStore(ABC):
    """Put, read, copy and delete objects in the logical areas "uploads" and "approved"."""

    areas: tuple[str, ...] = ("uploads", "approved")
    # Only this area is created with object lock, so only it honours retain_until.
    locked_areas: tuple[str, ...] = ("approved",)
    # Whether start_put stores an upload while it arrives (MinIO), or put_file moves it in.
    stores_while_arriving = False

    def __init__(self, buckets: dict[str, str]) -> None:
        missing = set(self.areas) - set(buckets)
        if missing:
            raise ValueError(f"no bucket configured for area(s): {', '.join(sorted(missing))}")
        self.buckets = {area: validate_bucket(buckets[area]) for area in self.areas}
        self._ensured = False

    def bucket(self, area: str) -> str:
        """Return the real bucket name behind a logical area."""
        try:
            return self.buckets[area]
        except KeyError:
            raise ValueError(f"unknown storage area: {area!r}") from None

    def _ensure_once(self) -> None:
        """Create the buckets before this instance's first write."""
        # Lets a fresh deployment work without a set-up step; ensure_buckets is idempotent.
        if not self._ensured:
            self.ensure_buckets()
            self._ensured = True

    def _check_not_retained(self, area: str, key: str) -> None:
        """Raise RetentionError if key holds an object whose retention has not passed."""
        # On S3 a put would add a version beside the locked one; refusing keeps both
        # stores in agreement that a locked key can be neither deleted nor replaced.
        if area not in self.locked_areas:
            return
        try:
            info = self.stat(area, key)
        except ObjectNotFound:
            return
        if info.retain_until and info.retain_until > datetime.now(UTC):
            raise RetentionError(key, info.retain_until)

    @property
    @abstractmethod
    def supports_object_lock(self) -> bool:
        """Report whether retain_until is enforced in the locked areas."""

    @abstractmethod
    def ensure_buckets(self) -> None:
        """Create the buckets if missing (approved with object lock); safe to repeat."""

    @abstractmethod
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
        """Stream an object in, recording its SHA-256; verify it when sha256 is given.

        retain_until locks the new object like copy does (a restore puts approved copies back
        under the retention they had).
        """

    def spool_dir(self) -> Path | None:
        """Return the folder uploads should be spooled in so put_file can move them in (None:
        the system's temporary folder)."""
        return None

    def sweep_spools(self, older_than: timedelta) -> int:
        """Delete spooled files left behind (by a crash) longer ago than older_than; the count."""
        return 0

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
        """Store a finished local file whose size and SHA-256 its writer measured as it wrote it.

        The digest is trusted, not computed again; the caller keeps (and deletes) its file.
        """
        with open(path, "rb") as stream:
            return self.put(
                area,
                key,
                stream,
                size=size,
                content_type=content_type,
                metadata=metadata,
                sha256=sha256,
            )

    def start_put(
        self, area: str, key: str, tail: SpoolTail, *, content_type: str
    ) -> BackgroundPut | None:
        """Begin storing a spool while it is still being written; None when this store gains
        nothing by it (LocalStore moves the finished spool in). Nothing is visible before
        finish_put; the pending put's abort() leaves nothing behind."""
        return None

    def finish_put(
        self,
        area: str,
        pending: BackgroundPut,
        *,
        sha256: str,
        content_type: str,
        metadata: dict[str, str] | None = None,
    ) -> ObjectInfo:
        """Complete a put begun by start_put, recording the spool's SHA-256 and metadata."""
        raise NotImplementedError("this store does not store uploads while they arrive")

    @abstractmethod
    def open(self, area: str, key: str) -> ObjectReader:
        """Open an object for streaming reads."""

    @abstractmethod
    def stat(self, area: str, key: str) -> ObjectInfo:
        """Return an object's size, checksum, type, metadata and retention."""

    @abstractmethod
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

    @abstractmethod
    def delete(self, area: str, key: str, *, bypass_retention: bool = False) -> None:
        """Delete an object; do nothing if it is missing.

        bypass_retention lifts a governance retention; only the registry's own clean-up of
        objects that a failed request has just written uses it.
        """

    @abstractmethod
    def list(self, area: str, prefix: str = "") -> Iterator[ObjectInfo]:
        """List every object under prefix, recursively, in key order."""

    @abstractmethod
    def presigned_url(
        self,
        area: str,
        key: str,
        *,
        expires: timedelta,
        filename: str | None = None,
    ) -> str:
        """Return a time-limited download URL, served as an attachment when filename is given."""

    def exists(self, area: str, key: str) -> bool:
        """Return whether the object exists."""
        try:
            self.stat(area, key)
        except ObjectNotFound:
            return False
        return True

    def checksum_matches(self, area: str, key: str, expected_sha256: str) -> bool:
        """Re-read the object and return whether its bytes hash to expected_sha256."""
        digest = hashlib.sha256()
        with self.open(area, key) as reader:
            for chunk in reader:
                digest.update(chunk)
        return digest.hexdigest() == expected_sha256.lower()
