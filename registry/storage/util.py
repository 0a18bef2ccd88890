"""Streams, validation and header helpers shared by the storage backends."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import BinaryIO
from urllib.parse import quote

# 1 MiB keeps syscalls and HTTP reads few while staying far below any memory concern.
CHUNK_SIZE = 1024 * 1024
# S3 (and so MinIO) refuses presigned URLs outside this range; LocalStore follows suit.
MAX_LINK_LIFETIME = timedelta(days=7)
# The metadata key under which every store records the object's SHA-256.
SHA256_KEY = "sha256"
# LocalStore names its in-progress files so; keys may not use it, so list can skip them.
PARTIAL_PREFIX = ".partial-"

# S3 bucket naming rules (lower case, 3-63 characters); LocalStore applies them too.
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_META_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# The SDK sends these as real HTTP headers rather than x-amz-meta-*; sha256 is the store's.
_RESERVED = {
    SHA256_KEY,
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "content-type",
}


class ObjectReader:
    """A streaming, closeable view of an object's bytes; iterate for chunks or call read()."""

    def __init__(
        self,
        read: Callable[[int], bytes],
        close: Callable[[], None],
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self._read = read
        self._close = close
        self._chunk_size = chunk_size
        self.closed = False

    def read(self, size: int = -1) -> bytes:
        """Read up to size bytes (all remaining bytes when size is negative)."""
        if size is None or size < 0:
            return b"".join(self)
        return self._read(size) if size else b""

    def readable(self) -> bool:
        """Report that the reader can be read (file-object protocol)."""
        return True

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self._read(self._chunk_size):
            yield chunk

    def close(self) -> None:
        """Release the file handle or HTTP connection; safe to call twice."""
        if not self.closed:
            self.closed = True
            self._close()

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class HashingReader:
    """Wrap a stream, hashing and counting every byte read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        """Read from the wrapped stream and feed the hash."""
        data = self._stream.read(size)
        self._hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        """Return the SHA-256 of everything read so far."""
        return self._hash.hexdigest()


def validate_bucket(name: str) -> str:
    """Return name unchanged if it is a valid S3 bucket name, or raise ValueError."""
    if not isinstance(name, str) or not _BUCKET_RE.match(name) or ".." in name:
        raise ValueError(f"invalid bucket name: {name!r}")
    return name


def validate_key(key: str) -> str:
    """Return key unchanged if it is a safe relative object key, or raise ValueError."""
    # Keys are built by the registry, but a bad one must never escape LocalStore's root.
    if not isinstance(key, str) or not key:
        raise ValueError("object key must be a non-empty string")
    if len(key.encode()) > 1024:
        raise ValueError("object key is longer than 1024 bytes")
    if "\\" in key or any(ord(char) < 0x20 or char == "\x7f" for char in key):
        raise ValueError(f"object key contains a backslash or control character: {key!r}")
    for segment in key.split("/"):
        if segment in ("", ".", "..") or segment.startswith(PARTIAL_PREFIX):
            raise ValueError(f"object key has an empty, relative or reserved segment: {key!r}")
    return key


def validate_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    """Return user metadata normalised to lower-case keys, or raise ValueError."""
    # S3 sends metadata as HTTP headers: keys are case-insensitive and values must be ASCII.
    result: dict[str, str] = {}
    for key, value in (metadata or {}).items():
        lowered = key.lower()
        if not _META_KEY_RE.match(lowered) or lowered in _RESERVED or lowered.startswith("x-amz-"):
            raise ValueError(f"invalid or reserved metadata key: {key!r}")
        if not value.isascii() or not value.isprintable():
            raise ValueError(f"metadata value for {key!r} must be printable ASCII")
        result[lowered] = value
    return result


def validate_sha256(sha256: str | None) -> str | None:
    """Return the hex digest in lower case, or raise ValueError if malformed."""
    if sha256 is None:
        return None
    lowered = sha256.lower()
    if not _SHA256_RE.match(lowered):
        raise ValueError("sha256 must be 64 hexadecimal characters")
    return lowered


def validate_retain_until(retain_until: datetime | None) -> None:
    """Raise ValueError unless retain_until is None or an aware datetime in the future."""
    if retain_until is None:
        return
    if retain_until.tzinfo is None:
        raise ValueError("retain_until must be timezone-aware")
    if retain_until <= datetime.now(UTC):
        raise ValueError("retain_until must be in the future")


def validate_expires(expires: timedelta) -> None:
    """Raise ValueError unless a link lifetime is between one second and seven days."""
    if not timedelta(seconds=1) <= expires <= MAX_LINK_LIFETIME:
        raise ValueError("expires must be between 1 second and 7 days")


def content_disposition(filename: str) -> str:
    """Build an attachment Content-Disposition with an ASCII fallback and RFC 5987 name.

    Every download that names a file uses this: HTTP headers are Latin-1 (gunicorn refuses
    anything else), so the real name travels percent-encoded in filename* (RFC 6266).
    """
    normalised = unicodedata.normalize("NFC", filename)
    # Vietnamese "đ" has no decomposition, so map it before stripping accents.
    ascii_name = normalised.replace("đ", "d").replace("Đ", "D")  # not interface: a letter
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ ()-]+", "_", ascii_name).strip()
    if not ascii_name.strip("._ "):
        ascii_name = "download"
    elif ascii_name.startswith("."):
        # A name of only emoji or other script keeps its extension, not a hidden-file name.
        ascii_name = "download" + ascii_name
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != normalised:
        header += f"; filename*=UTF-8''{quote(normalised, safe='')}"
    return header
